import Foundation
import Testing
import TestSupport
@testable import Outbound

/// SMTPTransport against a real aiosmtpd on a loopback port (Tests/services/smtp_sink.py).
struct SMTPTransportTests {
    static let ics = Array("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:1@bizing\r\nSUMMARY:Zoë's haircut\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8)

    static func message(to: [MailAddress] = [MailAddress("zoe@example.com", name: "Zoë Ünal")],
                        id: String = MailMessage.newMessageID(domain: "bizing.test")) -> MailMessage {
        MailMessage(messageID: id, from: MailAddress("bookings@bizing.test", name: "Bizing Salon"), to: to,
                    replyTo: MailAddress("owner@salon.example"), subject: "Zoë Ünal, your booking is confirmed",
                    date: 1_790_000_000, text: "Hello Zoë,\n.\nSee you soon.\n",
                    html: "<p>Hello Zoë,</p>", attachments: [MailAttachment(filename: "booking.ics",
                        contentType: "text/calendar; charset=UTF-8; method=PUBLISH", data: ics)],
                    headers: [("Auto-Submitted", "auto-generated")])
    }

    @Test func deliversAMessageWithAnAttachmentThatPythonParses() throws {
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let message = Self.message(to: [MailAddress("zoe@example.com", name: "Zoë Ünal"), MailAddress("staff@salon.example")])

        try SMTPTransport(url: sink.url).send(message)

        let mail = try #require(sink.waitForMessages(count: 1).first)
        #expect(mail.mailFrom == "bookings@bizing.test")
        #expect(mail.recipients == ["zoe@example.com", "staff@salon.example"])
        #expect(mail.parseError == nil)
        #expect(mail.defects == [])
        #expect(mail.header("Subject") == "Zoë Ünal, your booking is confirmed")
        #expect(mail.header("To") == "Zoë Ünal <zoe@example.com>, staff@salon.example")
        #expect(mail.header("Message-ID") == message.messageID)
        #expect(mail.header("Auto-Submitted") == "auto-generated")
        #expect(mail.parts.map(\.contentType) == ["multipart/mixed", "multipart/alternative", "text/plain",
                                                   "text/html", "text/calendar"])
        #expect(mail.parts[2].text == "Hello Zoë,\r\n.\r\nSee you soon.\r\n")
        #expect(mail.parts[3].text == "<p>Hello Zoë,</p>")
        let calendar = mail.parts[4]
        #expect(calendar.filename == "booking.ics")
        #expect(calendar.params["method"] == "PUBLISH")
        #expect(calendar.payload == Self.ics)
        // The bytes on the wire are the rendered bytes (dot-stuffing undone by the server).
        #expect(mail.raw == message.rendered())
    }

    @Test func lineBreaksInANameOrSubjectAddNoHeaderAtTheReceiver() throws {
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let evil = "Eve\r\nBcc: victim@example.com\r\n\r\nforged body"
        var message = Self.message(to: [MailAddress("zoe@example.com", name: evil)])
        message.subject = evil
        message.from.name = evil

        try SMTPTransport(url: sink.url).send(message)

        let mail = try #require(sink.waitForMessages(count: 1).first)
        #expect(mail.recipients == ["zoe@example.com"])
        #expect(mail.header("Bcc") == nil)
        #expect(mail.defects == [])
        #expect(mail.header("Subject") == "Eve  Bcc: victim@example.com    forged body")
        #expect(mail.headers.map(\.name) == ["Date", "From", "To", "Reply-To", "Message-ID", "Subject",
                                              "MIME-Version", "Auto-Submitted", "Content-Type"])
    }

    @Test func aRefusedRecipientIsPermanent550() throws {
        let sink = SMTPSink(rejectRecipients: "^nobody@")
        try sink.start()
        defer { sink.stop() }
        #expect(throws: OutboundError.self) { try SMTPTransport(url: sink.url).send(Self.message(to: [MailAddress("nobody@example.com")])) }
        do {
            try SMTPTransport(url: sink.url).send(Self.message(to: [MailAddress("nobody@example.com")]))
        } catch {
            guard case .permanent(let code, let text) = error else { Issue.record("\(error)"); return }
            #expect(code == 550)
            #expect(text.contains("550"))
        }
        #expect(sink.messages().isEmpty)
    }

    @Test func aClosedPortIsTransient() throws {
        let port = try freePort()
        do {
            try SMTPTransport(url: "smtp://127.0.0.1:\(port)", timeoutSeconds: 5).send(Self.message())
            Issue.record("sent to a closed port")
        } catch {
            guard case .transient(let code, let text) = error else { Issue.record("\(error)"); return }
            #expect(code == nil)
            #expect(text.hasPrefix("curl 7:"))
        }
    }

    @Test func authenticatesWithTheURLsPercentDecodedCredentials() throws {
        let sink = SMTPSink(auth: (user: "bizing", password: "s3cr:t p@ss"))
        try sink.start()
        defer { sink.stop() }

        try SMTPTransport(url: "smtp://bizing:s3cr%3At%20p%40ss@127.0.0.1:\(sink.port)").send(Self.message())
        #expect(sink.waitForMessages(count: 1).first?.authLogin == "bizing")

        // A wrong password or none: the configuration is wrong, not the message, so it is transient.
        do {
            try SMTPTransport(url: "smtp://bizing:wrong@127.0.0.1:\(sink.port)").send(Self.message())
            Issue.record("sent with a wrong password")
        } catch {
            #expect(error == .transient(code: 535, message: error.messageText))
        }
        do {
            try SMTPTransport(url: sink.url).send(Self.message())
            Issue.record("sent without AUTH")
        } catch {
            #expect(error == .transient(code: 530, message: error.messageText))
        }
        #expect(sink.messages().count == 1)
    }

    @Test func upgradesToTLSWithSTARTTLSWhenOffered() throws {
        let sink = SMTPSink(parse: false, tls: .starttls)
        try sink.start()
        defer { sink.stop() }
        try SMTPTransport(url: sink.url, caCertificatesFile: sink.certificatePath).send(Self.message())
        #expect(sink.waitForMessages(count: 1).first?.tls == true)
        // A certificate that does not verify is not silently skipped: nothing is sent in clear text.
        do {
            try SMTPTransport(url: sink.url).send(Self.message())
            Issue.record("sent despite an unverifiable certificate")
        } catch {
            #expect(!error.isPermanent)
            #expect(error.messageText.hasPrefix("curl 60:"), "\(error)")
        }
        #expect(sink.messages().count == 1)
    }

    @Test func speaksTLSFromTheStartForSMTPS() throws {
        let sink = SMTPSink(parse: false, tls: .implicit)
        try sink.start()
        defer { sink.stop() }
        #expect(sink.url.hasPrefix("smtps://"))
        try SMTPTransport(url: sink.url, caCertificatesFile: sink.certificatePath).send(Self.message())
        #expect(sink.waitForMessages(count: 1).first?.tls == true)
    }

    @Test func aServerStallingInDataTimesOutAsTransient() throws {
        let sink = SMTPSink(stallInData: true)
        try sink.start()
        defer { sink.stop() }
        let started = Date()
        do {
            try SMTPTransport(url: sink.url, timeoutSeconds: 1).send(Self.message())
            Issue.record("sent to a stalled server")
        } catch {
            guard case .transient(_, let text) = error else { Issue.record("\(error)"); return }
            #expect(text.hasPrefix("curl 28:"))
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func refusesBadURLsAndAddressesBeforeConnecting() throws {
        #expect(throws: OutboundError.self) { try SMTPTransport(url: "http://127.0.0.1:25") }
        #expect(throws: OutboundError.self) { try SMTPTransport(url: "not a url") }
        let transport = try SMTPTransport(url: "smtp://127.0.0.1:1")
        #expect(throws: OutboundError.permanent(code: 0, message: "invalid recipient address \"a@b\r\nRCPT TO:<x@y>\"")) {
            try transport.send(Self.message(to: [MailAddress("a@b\r\nRCPT TO:<x@y>")]))
        }
        #expect(throws: OutboundError.permanent(code: 0, message: "the message has no recipient")) {
            try transport.send(Self.message(to: []))
        }
    }

    @Test func sendsConsecutiveMessagesOverOneConnection() throws {
        let sink = SMTPSink(parse: false)
        try sink.start()
        defer { sink.stop() }
        let transport = try SMTPTransport(url: sink.url)
        for index in 0..<5 { try transport.send(Self.message(id: "<\(index)@bizing.test>")) }
        let mails = sink.waitForMessages(count: 5)
        #expect(mails.count == 5)
        #expect(Set(mails.map(\.peerPort)).count == 1)
    }

    @Test func aHandleWhoseServerWentAwayIsReplaced() throws {
        let first = SMTPSink(parse: false)
        try first.start()
        let transport = try SMTPTransport(url: first.url)
        try transport.send(Self.message())
        first.stop()
        // The pooled connection is dead: sends fail as transient (retry later), never crash or hang.
        for _ in 0..<2 {
            #expect { try transport.send(Self.message()) } throws: { error in
                (error as? OutboundError)?.isPermanent == false
            }
        }
    }

    @Test func reusesItsConnectionAcrossMessagesAndThreads() throws {
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let transport = try SMTPTransport(url: sink.url)
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in 0..<10 {
                do { try transport.send(Self.message(id: "<\(worker)-\(index)@bizing.test>")) } catch { failures.add(error) }
            }
        }
        #expect(failures.all.isEmpty)
        let ids = Set(sink.waitForMessages(count: 40).compactMap { $0.header("Message-ID") })
        #expect(ids.count == 40)
    }

    /// Sequential throughput of one worker to the local sink, printed for docs/benchmarks.md. A
    /// measurement, so it runs on its own, not amid 400 parallel tests:
    /// `BIZING_BENCH=1 swift test --skip-build --filter measuresSequentialThroughput`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["BIZING_BENCH"] != nil))
    func measuresSequentialThroughput() throws {
        let sink = SMTPSink(parse: false)
        try sink.start()
        defer { sink.stop() }
        let transport = try SMTPTransport(url: sink.url)
        try transport.send(Self.message())   // connect once before timing
        // Best of three rounds: this VM's neighbours make single rounds vary by a factor of two.
        let count = 300
        var rates: [Double] = []
        for round in 0..<3 {
            let elapsed = ContinuousClock().measure {
                for index in 0..<count { try? transport.send(Self.message(id: "<bench-\(round)-\(index)@bizing.test>")) }
            }
            rates.append(Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
        let best = rates.max() ?? 0
        let rendering = ContinuousClock().measure { for _ in 0..<count { _ = Self.message().rendered() } }
        print("MailMessage.rendered(): \(count) in \(rendering)")
        print("SMTPTransport: \(count) messages sequentially to aiosmtpd, 3 rounds: "
              + rates.map { "\(Int($0))" }.joined(separator: ", ") + " messages/s; best \(Int(best))")
        #expect(best >= 200)
        #expect(sink.waitForMessages(count: 3 * count + 1, timeout: 10).count == 3 * count + 1)
    }
}

extension OutboundError {
    var messageText: String {
        switch self {
        case .invalidURL(let text), .refusedDestination(let text): text
        case .permanent(_, let text), .transient(_, let text): text
        }
    }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {   // every access holds the lock
    private let lock = NSLock()
    private var errors: [any Error] = []
    func add(_ error: any Error) { lock.lock(); errors.append(error); lock.unlock() }
    var all: [any Error] { lock.lock(); defer { lock.unlock() }; return errors }
}

/// A loopback port nothing listens on (bound, read, closed).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
