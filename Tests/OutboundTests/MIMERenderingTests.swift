import Foundation
import Testing
@testable import Outbound

/// `MailMessage.rendered()` and the MIME encoders, without any network.
struct MIMERenderingTests {
    static func message(subject: String = "Your booking", name: String = "Zoë Ünal", text: String = "Hello",
                        html: String? = nil, attachments: [MailAttachment] = [],
                        headers: [(name: String, value: String)] = []) -> MailMessage {
        MailMessage(messageID: "<abc123@bizing.test>", from: MailAddress("bookings@bizing.test", name: "Bizing"),
                    to: [MailAddress("zoe@example.com", name: name)], subject: subject, date: 1_790_000_000,
                    text: text, html: html, attachments: attachments, headers: headers)
    }

    /// Header block of a rendered message, unfolded into (name, value) pairs.
    static func headerFields(_ bytes: [UInt8]) -> [(String, String)] {
        let text = String(decoding: bytes, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        var fields: [(String, String)] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                fields[fields.count - 1].1 += line
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        return fields
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test func rendersDatesInRFC5322Form() {
        #expect(MIME.date(0) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MIME.date(1_790_000_000) == "Mon, 21 Sep 2026 14:13:20 +0000")
        #expect(MIME.date(951_782_400) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(MIME.date(-1) == "Wed, 31 Dec 1969 23:59:59 +0000")
    }

    @Test func keepsMessageIDAndDate() {
        let fields = Self.headerFields(Self.message().rendered())
        #expect(fields.contains { $0.0 == "Message-ID" && $0.1 == " <abc123@bizing.test>" })
        #expect(fields.contains { $0.0 == "Date" && $0.1 == " Mon, 21 Sep 2026 14:13:20 +0000" })
        #expect(fields.contains { $0.0 == "MIME-Version" && $0.1 == " 1.0" })
        var bare = Self.message()
        bare.messageID = "xyz@host"
        #expect(String(decoding: bare.rendered(), as: UTF8.self).contains("Message-ID: <xyz@host>\r\n"))
    }

    @Test func encodesNonASCIINamesAsEncodedWords() {
        let text = String(decoding: Self.message().rendered(), as: UTF8.self)
        // "Zoë Ünal" in UTF-8, base64.
        #expect(text.contains("To: =?UTF-8?B?Wm/DqyDDnG5hbA==?= <zoe@example.com>\r\n"))
        #expect(text.contains("From: \"Bizing\" <bookings@bizing.test>\r\n"))
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
    }

    @Test func lineBreaksAndNULsInNamesAndSubjectsCannotStartAHeader() {
        let evil = "Eve\r\nBcc: victim@example.com\nX-Injected: 1\r\u{0}Content-Type: text/html"
        let rendered = Self.message(subject: evil, name: evil).rendered()
        let names = Self.headerFields(rendered).map { $0.0.lowercased() }
        #expect(!names.contains("bcc"))
        #expect(!names.contains("x-injected"))
        #expect(names.filter { $0 == "content-type" }.count == 1)
        #expect(!rendered.contains(0))
        // Every line of the header block is a field or a continuation starting with a space.
        let head = String(decoding: rendered, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        for line in head.components(separatedBy: "\r\n") {
            #expect(line.hasPrefix(" ") || ["Date", "From", "To", "Message-ID", "Subject", "MIME-Version",
                                             "Content-Type", "Content-Transfer-Encoding"].contains { line.hasPrefix($0 + ":") },
                    "unexpected header line \(line)")
        }
        // No bare CR or LF anywhere.
        for (index, byte) in rendered.enumerated() {
            if byte == 13 { #expect(rendered[index + 1] == 10) }
            if byte == 10 { #expect(index > 0 && rendered[index - 1] == 13) }
        }
    }

    @Test func foldsLongHeadersAt78Characters() {
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ")
        let unicode = String(repeating: "Zoë Ünal café ", count: 12)
        let many = (1...12).map { MailAddress("person\($0)@example.com", name: "Person Number \($0)") }
        var message = Self.message(subject: subject, headers: [("X-Long", unicode)])
        message.to = many
        let rendered = message.rendered()
        let head = String(decoding: rendered, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        for line in head.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
        let fields = Self.headerFields(rendered)
        let unfoldedSubject = fields.first { $0.0 == "Subject" }!.1
        #expect(unfoldedSubject == " " + subject)
        let to = fields.first { $0.0 == "To" }!.1
        #expect(to.components(separatedBy: ",").count == 12)
    }

    @Test func encodedWordsNeverSplitACharacterAndStayWithin75() {
        let words = MIME.encodedWords(String(repeating: "é😀", count: 40))
        #expect(words.count > 1)
        for word in words {
            #expect(word.utf8.count <= 75)
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            let decoded = decodeBase64(String(payload))
            #expect(String(validating: decoded, as: UTF8.self) != nil)
        }
    }

    @Test func quotedPrintableLinesStayWithin76AndRoundTrip() {
        let text = String(repeating: "Grüße aus Zürich, Ünal! = ok ", count: 20) + "\ntrailing space \n.leading dot\r\nend"
        let encoded = MIME.quotedPrintable(text)
        for line in Self.lines(encoded) {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(!line.hasSuffix(" "))
            #expect(!line.hasPrefix("."))
        }
        #expect(String(decoding: decodeQuotedPrintable(encoded), as: UTF8.self)
                == text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func attachmentsAreBase64At76Columns() {
        let data = (0..<1000).map { UInt8($0 % 256) }
        let message = Self.message(attachments: [MailAttachment(filename: "booking.ics",
            contentType: "text/calendar; charset=UTF-8; method=PUBLISH", data: data)])
        let text = String(decoding: message.rendered(), as: UTF8.self)
        let part = text.components(separatedBy: "Content-Disposition: attachment; filename=\"booking.ics\"\r\n\r\n")[1]
        let body = part.components(separatedBy: "\r\n--")[0]
        let lines = body.components(separatedBy: "\r\n")
        #expect(lines.dropLast().allSatisfy { $0.utf8.count == 76 })
        #expect(decodeBase64(lines.joined()) == data)
        #expect(text.contains("Content-Type: text/calendar; charset=UTF-8; method=PUBLISH\r\n"))
    }

    @Test func nestsAlternativeInsideMixedWithBoundariesAbsentFromContent() {
        let tricky = "--=_mixed_ line\n--=_alt_ =_ boundary-looking text"
        let message = Self.message(text: tricky, html: "<p>\(tricky)</p>",
            attachments: [MailAttachment(filename: "a.ics", contentType: "text/calendar", data: Array(tricky.utf8))])
        let rendered = message.rendered()
        let text = String(decoding: rendered, as: UTF8.self)
        let tag = MailMessage.boundaryTag("<abc123@bizing.test>")
        let mixed = "=_mixed_\(tag)", alternative = "=_alt_\(tag)"
        #expect(text.contains("Content-Type: multipart/mixed; boundary=\"\(mixed)\"\r\n"))
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"\(alternative)\"\r\n"))
        // The content's own "--=_…" lines come out as "--=3D_…": only real delimiters contain "=_".
        let delimiters = Self.lines(rendered).filter { $0.hasPrefix("--") && $0.contains("=_") }
        #expect(delimiters == ["--\(mixed)", "--\(alternative)", "--\(alternative)", "--\(alternative)--",
                               "--\(mixed)", "--\(mixed)--"])
        // Same message, same bytes: a retry sends exactly what the first attempt sent.
        #expect(message.rendered() == rendered)
    }

    @Test func plainMessageIsOneQuotedPrintablePart() {
        let text = String(decoding: Self.message(text: "Café").rendered(), as: UTF8.self)
        #expect(text.contains("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9\r\n"))
        #expect(!text.contains("multipart"))
    }

    @Test func extraHeadersAreKeptButCannotReplaceOrInject() {
        let message = Self.message(headers: [("Auto-Submitted", "auto-generated"), ("Bad Name", "x"),
                                             ("Content-Type", "text/html"), ("X-Ok", "a\r\nBcc: b@c")])
        let fields = Self.headerFields(message.rendered())
        #expect(fields.contains { $0.0 == "Auto-Submitted" && $0.1 == " auto-generated" })
        #expect(!fields.contains { $0.0 == "Bad Name" })
        #expect(fields.filter { $0.0 == "Content-Type" }.map(\.1) == [" text/plain; charset=UTF-8"])
        #expect(!fields.contains { $0.0 == "Bcc" })
    }

    @Test func nonASCIIFilenamesUseRFC2231() {
        #expect(Header.parameter("filename", "Zoë.ics") == "filename*=UTF-8''Zo%C3%AB.ics")
        #expect(Header.parameter("filename", "a\"b\r\n.ics") == "filename=\"a\\\"b  .ics\"")
    }

    @Test func parsesAndValidatesAddresses() {
        #expect(MailAddress.parse("Bizing <bookings@localhost>") == MailAddress("bookings@localhost", name: "Bizing"))
        #expect(MailAddress.parse("\"Doe, \\\"J\\\"\" <j@d.example>") == MailAddress("j@d.example", name: "Doe, \"J\""))
        #expect(MailAddress.parse("a@b") == MailAddress("a@b"))
        #expect(MailAddress.parse(" <a@b> ") == MailAddress("a@b"))
        for bad in ["", "a", "a@b@c", "@b", "a@", "a b@c", "a@b\r\nBcc: x@y", "a@b\0", "<a@b", String(repeating: "a", count: 250) + "@b.cd"] {
            #expect(MailAddress.parse(bad) == nil, "\(bad)")
        }
        #expect(!MailAddress("x@y\nBcc: z@w").isValid)
    }
}

/// Test decoders (independent of the encoders under test).
func decodeBase64(_ text: String) -> [UInt8] {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = [], buffer = 0, bits = 0
    for byte in text.utf8 {
        guard let value = alphabet.firstIndex(of: byte) else { continue }
        buffer = buffer << 6 | value
        bits += 6
        if bits >= 8 { bits -= 8; out.append(UInt8((buffer >> bits) & 0xFF)) }
    }
    return out
}

func decodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
        if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count + 1 {
            if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 { index += 3; continue }
            let hex = String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self)
            out.append(UInt8(hex, radix: 16)!)
            index += 3
        } else {
            out.append(bytes[index])
            index += 1
        }
    }
    return out
}
