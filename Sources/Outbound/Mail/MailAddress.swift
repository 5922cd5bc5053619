import Foundation

/// A mailbox: an address and an optional display name (any Unicode; rendered as an RFC 2047
/// encoded word when it is not ASCII, with line breaks and NULs turned into spaces).
public struct MailAddress: Sendable, Hashable {
    /// The address. Check `isValid` before sending: no CR/LF/NUL or spaces, exactly one `@`, ≤ 254 bytes.
    public var email: String
    /// Display name.
    public var name: String

    public init(_ email: String, name: String = "") {
        self.email = email
        self.name = name
    }

    /// True when `email` is usable in an SMTP envelope and a header: one `@` with text on both sides,
    /// at most 254 bytes, no control characters, spaces, angle brackets, quotes, commas or semicolons.
    public var isValid: Bool {
        let bytes = Array(email.utf8)
        guard !bytes.isEmpty, bytes.count <= 254 else { return false }
        guard bytes.filter({ $0 == UInt8(ascii: "@") }).count == 1,
              bytes.first != UInt8(ascii: "@"), bytes.last != UInt8(ascii: "@") else { return false }
        let forbidden: Set<UInt8> = Set(" <>()[]\\,;:\"".utf8)
        return !bytes.contains { $0 < 0x21 || $0 == 0x7F || forbidden.contains($0) }
    }

    /// Parses `"Name <a@b>"`, `"\"Name\" <a@b>"`, `"<a@b>"` or `"a@b"`; nil when the address is not valid.
    public static func parse(_ text: String) -> MailAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let address: MailAddress
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let email = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            address = MailAddress(email.trimmingCharacters(in: .whitespaces), name: name)
        } else {
            address = MailAddress(trimmed)
        }
        return address.isValid ? address : nil
    }
}
