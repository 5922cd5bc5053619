/// A file attached to a message, sent base64-encoded.
public struct MailAttachment: Sendable {
    public var filename: String
    /// The full media type with parameters, e.g. `"text/calendar; charset=UTF-8; method=PUBLISH"`.
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// One e-mail. `rendered()` turns it into the bytes sent after SMTP `DATA`.
public struct MailMessage: Sendable {
    /// `"<random@host>"`, the same on every retry so receivers can deduplicate.
    public var messageID: String
    public var from: MailAddress
    public var to: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    /// UNIX seconds, rendered as an RFC 5322 date in UTC.
    public var date: Int64
    /// The plain-text part.
    public var text: String
    /// The HTML alternative, if any.
    public var html: String?
    public var attachments: [MailAttachment]
    /// Extra header fields (e.g. `Auto-Submitted: auto-generated`). A field whose name is not a valid
    /// field name, or that would replace one this type writes itself (From, To, Date, Content-Type…),
    /// is left out.
    public var headers: [(name: String, value: String)]

    public init(messageID: String, from: MailAddress, to: [MailAddress], replyTo: MailAddress? = nil,
                subject: String, date: Int64, text: String, html: String? = nil,
                attachments: [MailAttachment] = [], headers: [(name: String, value: String)] = []) {
        self.messageID = messageID
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.text = text
        self.html = html
        self.attachments = attachments
        self.headers = headers
    }

    /// A new globally unique Message-ID, `"<32 hex digits@domain>"`.
    public static func newMessageID(domain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
        let host = domain.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        return "<\(hex)@\(host.isEmpty ? "localhost" : host)>"
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
