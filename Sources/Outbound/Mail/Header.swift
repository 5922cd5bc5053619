import Foundation

/// Header fields: sanitising, encoding and folding. Every value goes through `MIME.headerSafe`, so
/// no input can contain a line break; folding inserts CRLF only before a space it puts there itself.
enum Header {
    /// Fields the message writes itself; an extra header with one of these names is left out.
    static let reserved: Set<String> = ["from", "to", "cc", "bcc", "date", "subject", "message-id",
                                        "reply-to", "sender", "return-path", "mime-version",
                                        "content-type", "content-transfer-encoding", "content-disposition"]

    /// A field name (RFC 5322 §3.6.8): 1–76 printable ASCII characters other than ":", not reserved.
    static func isAllowedExtraName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return !bytes.isEmpty && bytes.count <= 76 && bytes.allSatisfy { $0 >= 33 && $0 <= 126 && $0 != 58 }
            && !reserved.contains(name.lowercased())
    }

    /// `"Name: t1 t2 …"` folded before a token when the line would pass 78 characters, CRLF-terminated.
    static func fold(_ name: String, _ tokens: [String]) -> String {
        var out = ""
        var line = name + ":"
        var lineHasToken = false
        for token in tokens where !token.isEmpty {
            // Fold before the first token too when a long field name leaves it no room.
            if (lineHasToken || token.utf8.count <= 77) && line.utf8.count + 1 + token.utf8.count > 78 {
                out += line + "\r\n"
                line = ""
            }
            line += " " + token
            lineHasToken = true
        }
        return out + line + "\r\n"
    }

    /// Folds a whole `"Name: value"` line built by this module (values already safe).
    static func fold(_ line: String) -> String {
        guard let colon = line.firstIndex(of: ":") else { return line + "\r\n" }
        let value = line[line.index(after: colon)...]
        return fold(String(line[..<colon]), value.split(separator: " ").map(String.init))
    }

    /// Free text (a subject, an extra header): ASCII words as they are, or RFC 2047 encoded words
    /// when the text is not ASCII, has a word too long to fold, or looks like an encoded word itself.
    static func unstructuredTokens(_ text: String) -> [String] {
        let safe = MIME.headerSafe(text)
        let words = safe.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let plain = safe.unicodeScalars.allSatisfy { $0.isASCII } && !safe.contains("=?")
            && words.allSatisfy { $0.utf8.count <= 66 } && !safe.contains("  ")
            && safe.first != " " && safe.last != " "
        return plain ? words : MIME.encodedWords(safe)
    }

    /// A phrase (display name): a quoted string when ASCII and short, encoded words otherwise.
    static func phraseTokens(_ name: String) -> [String] {
        let safe = MIME.headerSafe(name).trimmingCharacters(in: .whitespaces)
        if safe.unicodeScalars.allSatisfy({ $0.isASCII }) && safe.utf8.count <= 60 && !safe.contains("=?") {
            let escaped = safe.replacingBackslashAndQuote()
            return ["\"\(escaped)\""]
        }
        return MIME.encodedWords(safe)
    }

    /// Mailboxes separated by commas, each `phrase <email>` or a bare `email`.
    static func addressTokens(_ addresses: [MailAddress]) -> [String] {
        var tokens: [String] = []
        for (index, address) in addresses.enumerated() {
            let email = MIME.headerSafe(address.email).replacingSpaces()
            let name = MIME.headerSafe(address.name).trimmingCharacters(in: .whitespaces)
            var mailbox = name.isEmpty ? [email] : phraseTokens(name) + ["<\(email)>"]
            if index < addresses.count - 1 { mailbox[mailbox.count - 1] += "," }
            tokens += mailbox
        }
        return tokens
    }

    /// The Message-ID with its angle brackets, spaces and controls removed from inside.
    static func messageID(_ id: String) -> String {
        var inner = MIME.headerSafe(id).replacingSpaces()
        if inner.hasPrefix("<") { inner.removeFirst() }
        if inner.hasSuffix(">") { inner.removeLast() }
        return "<" + inner.filter { $0 != "<" && $0 != ">" } + ">"
    }

    /// `name="value"` for an ASCII value, `name*=UTF-8''percent-encoded` (RFC 2231) otherwise.
    static func parameter(_ name: String, _ value: String) -> String {
        let safe = MIME.headerSafe(value).trimmingCharacters(in: .whitespaces)
        if safe.unicodeScalars.allSatisfy({ $0.isASCII }) {
            return "\(name)=\"\(safe.replacingBackslashAndQuote())\""
        }
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in safe.utf8 {
            if unreserved.contains(byte) { encoded.append(byte) }
            else { encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]] }
        }
        return "\(name)*=UTF-8''" + String(decoding: encoded, as: UTF8.self)
    }
}

extension String {
    func replacingBackslashAndQuote() -> String {
        var out = ""
        for character in self {
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    func replacingSpaces() -> String { filter { $0 != " " } }
}
