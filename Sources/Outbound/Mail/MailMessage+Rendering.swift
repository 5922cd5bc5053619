import Foundation

extension MailMessage {
    /// The whole RFC 5322 / MIME message, CRLF line endings: UTF-8, quoted-printable text parts,
    /// base64 attachments, multipart/alternative inside multipart/mixed when attachments exist,
    /// folded headers (≤ 78 chars), RFC 2047 encoded words for non-ASCII names and subjects,
    /// no header injection possible from any field (CR/LF in names or subjects cannot start a header).
    /// Deterministic: the same message renders to the same bytes (boundaries derive from the Message-ID;
    /// they contain "=_", which quoted-printable and base64 output can never contain).
    public func rendered() -> [UInt8] {
        var head = ""
        head += Header.fold("Date", [MIME.date(date)])
        head += Header.fold("From", Header.addressTokens([from]))
        if !to.isEmpty { head += Header.fold("To", Header.addressTokens(to)) }
        if let replyTo { head += Header.fold("Reply-To", Header.addressTokens([replyTo])) }
        head += Header.fold("Message-ID", [Header.messageID(messageID)])
        head += Header.fold("Subject", Header.unstructuredTokens(subject))
        head += "MIME-Version: 1.0\r\n"
        for (name, value) in headers where Header.isAllowedExtraName(name) {
            head += Header.fold(name, Header.unstructuredTokens(value))
        }

        let tag = MailMessage.boundaryTag(messageID)
        let textPart = Entity(headers: ["Content-Type: text/plain; charset=UTF-8",
                                        "Content-Transfer-Encoding: quoted-printable"],
                              body: MIME.quotedPrintable(text))
        var content = textPart
        if let html {
            let htmlPart = Entity(headers: ["Content-Type: text/html; charset=UTF-8",
                                            "Content-Transfer-Encoding: quoted-printable"],
                                  body: MIME.quotedPrintable(html))
            content = Entity.multipart("alternative", boundary: "=_alt_\(tag)", [textPart, htmlPart])
        }
        if !attachments.isEmpty {
            content = Entity.multipart("mixed", boundary: "=_mixed_\(tag)",
                                       [content] + attachments.map(Entity.attachment))
        }
        var out = Array(head.utf8)
        for line in content.headers { out += Array(Header.fold(line).utf8) }
        out += MIME.crlf
        out += content.body
        out += MIME.crlf
        return out
    }

    /// 16 hex digits from the Message-ID (FNV-1a), so boundaries are stable across retries.
    static func boundaryTag(_ messageID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in messageID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return withUnsafeBytes(of: hash.bigEndian) { $0.hexString }
    }
}

/// A MIME entity: header lines (unfolded, without CRLF) and a body without a trailing CRLF.
struct Entity {
    var headers: [String]
    var body: [UInt8]

    static func multipart(_ subtype: String, boundary: String, _ parts: [Entity]) -> Entity {
        var body: [UInt8] = []
        for part in parts {
            body += Array("--\(boundary)\r\n".utf8)
            for line in part.headers { body += Array(Header.fold(line).utf8) }
            body += MIME.crlf
            body += part.body
            body += MIME.crlf
        }
        body += Array("--\(boundary)--".utf8)
        return Entity(headers: ["Content-Type: multipart/\(subtype); boundary=\"\(boundary)\""], body: body)
    }

    static func attachment(_ attachment: MailAttachment) -> Entity {
        let filename = Header.parameter("filename", attachment.filename)
        var body = MIME.base64Lines(attachment.data)
        if body.count >= 2 { body.removeLast(2) }
        let type = MIME.headerSafe(attachment.contentType).trimmingCharacters(in: .whitespaces)
        return Entity(headers: ["Content-Type: \(type.isEmpty ? "application/octet-stream" : type)",
                                "Content-Transfer-Encoding: base64",
                                "Content-Disposition: attachment; \(filename)"],
                      body: body)
    }
}
