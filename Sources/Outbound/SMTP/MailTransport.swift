/// Something that delivers mail: `SMTPTransport`, or a stand-in in tests.
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage) throws(OutboundError)
}
