import BookingCore
import Foundation

/// The rules for what people type into account forms. Each returns the clean value or a sentence.
enum AccountInput {
    static let passwordLength = 10...128
    static let maxNameLength = 120
    static let maxEmailLength = 254
    static let maxRelationshipLength = 60

    enum Checked<Value> {
        case valid(Value)
        case invalid(String)
    }

    /// A person's name: trimmed, 1–120 characters, no control characters.
    static func name(_ raw: String?, what: String = "your name") -> Checked<String> {
        let name = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { return .invalid("Enter \(what).") }
        if name.count > maxNameLength { return .invalid("Use at most \(maxNameLength) characters for the name.") }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .invalid("Use letters, spaces and punctuation only in the name.")
        }
        return .valid(name)
    }

    /// An email: trimmed, lower-cased, plausible, at most 254 characters.
    static func email(_ raw: String?) -> Checked<String> {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .invalid("Enter your email address.") }
        if text.count > maxEmailLength { return .invalid("Use an email address of at most \(maxEmailLength) characters.") }
        guard let email = Validation.normalizedEmail(text) else {
            return .invalid("Enter an email address like name@example.com.")
        }
        return .valid(email)
    }

    /// The throttle key for a log-in email: normalised like a sign-up email when plausible, else
    /// trimmed and lower-cased (an implausible one cannot exist, but still counts).
    static func loginKey(_ raw: String) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return String((Validation.normalizedEmail(text) ?? text).prefix(maxEmailLength))
    }

    /// A new password: 10–128 characters (characters, not bytes), no composition rules.
    static func newPassword(_ raw: String?) -> Checked<String> {
        let password = raw ?? ""
        if password.isEmpty { return .invalid("Choose a password of at least \(passwordLength.lowerBound) characters.") }
        if password.count < passwordLength.lowerBound {
            return .invalid("Use at least \(passwordLength.lowerBound) characters for the password.")
        }
        if password.count > passwordLength.upperBound {
            return .invalid("Use at most \(passwordLength.upperBound) characters for the password.")
        }
        return .valid(password)
    }

    /// What a household member is to the user: optional, at most 60 characters.
    static func relationship(_ raw: String?) -> Checked<String> {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > maxRelationshipLength { return .invalid("Use at most \(maxRelationshipLength) characters for the relationship.") }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .invalid("Use letters, spaces and punctuation only in the relationship.")
        }
        return .valid(text)
    }

    /// An optional date of birth `YYYY-MM-DD`, a real date not after `today`.
    static func birthDate(_ raw: String?, today: LocalDate) -> Checked<String?> {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .valid(nil) }
        guard text.utf8.count == 10, let date = LocalDate(text) else {
            return .invalid("Enter the date of birth as YYYY-MM-DD, for example 2018-04-30.")
        }
        if date > today { return .invalid("The date of birth cannot be in the future.") }
        return .valid(text)
    }
}

/// Where to go after logging in: only a local path (`/account`, `/b/demo?date=…`), never another
/// site (`//evil.example`, `https://…`, `/\evil.example`).
enum NextPath {
    static let fallback = "/account"

    static func safe(_ raw: String?) -> String? {
        guard let raw, raw.utf8.count <= 2000, raw.hasPrefix("/") else { return nil }
        let bytes = Array(raw.utf8)
        if bytes.count > 1 && (bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\")) { return nil }
        // Browsers drop tabs and newlines and read `\` as `/`: refuse them, and any control or space.
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) { return nil }
        return raw
    }

    static func or(_ raw: String?) -> String { safe(raw) ?? fallback }
}
