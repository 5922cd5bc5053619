/// A form or API input problem: which field, and a sentence a person can act on.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Input helpers shared by forms and the API.
public enum Validation {
    /// A URL slug from a name: lower-case ASCII letters and digits separated by single hyphens,
    /// common accents folded ("Café Zoë" → "cafe-zoe"), at most `maxLength` characters. May be empty.
    public static func slug(_ name: String, maxLength: Int = 60) -> String {
        var out = ""
        var pendingHyphen = false
        for ch in name.lowercased() {
            let folded = fold(ch)
            for c in folded {
                if c.isASCII && (c.isLetter || c.isNumber) {
                    if pendingHyphen && !out.isEmpty { out.append("-") }
                    pendingHyphen = false
                    out.append(c)
                } else {
                    pendingHyphen = true
                }
            }
        }
        if out.count > maxLength {
            out = String(out.prefix(maxLength))
            while out.hasSuffix("-") { out.removeLast() }
        }
        return out
    }

    /// Words that name pages under `/b/{business}/` (the products page, checkout, programs, …): an
    /// offer slugged with one of them would be shadowed by that page, so offers never get one (the
    /// builder and the quick setup add `-2`). A test checks every such route is listed here.
    public static let reservedOfferSlugs: Set<String> = [
        "checkout", "memberships", "products", "programs", "purchases", "resend", "series", "waitlist",
    ]

    /// Is `text` already a valid slug (what `slug` produces, non-empty)?
    public static func isSlug(_ text: String, maxLength: Int = 60) -> Bool {
        !text.isEmpty && slug(text, maxLength: maxLength) == text
    }

    /// Trims and lower-cases an email, or nil when it is not plausible: one `@`, a non-empty local
    /// part, a domain with a dot, no spaces, at most 254 characters.
    public static func normalizedEmail(_ text: String) -> String? {
        // Every address in practice is ASCII: checked on its bytes, the same rules cost ~1/20 of the
        // Character-by-Character checks (32 k instructions per call, four calls per booking).
        let bytes = Array(text.utf8)
        if !bytes.contains(where: { $0 >= 0x80 }) { return normalizedASCIIEmail(bytes) }
        return normalizedUnicodeEmail(text)
    }

    /// `normalizedEmail` for ASCII text, byte by byte. A Character is one byte there except "\r\n",
    /// which is whitespace either way, so every count and check gives what the Character rules give.
    static func normalizedASCIIEmail(_ bytes: [UInt8]) -> String? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = 0, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        let email = bytes[start..<end].map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        guard email.count <= 254, let at = email.firstIndex(of: UInt8(ascii: "@")), at > 0, at <= 64,
              !email[(at + 1)...].contains(UInt8(ascii: "@")),
              !email.contains(where: { isSpace($0) || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") })
        else { return nil }
        let labels = email[(at + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2,
              labels.allSatisfy({ !$0.isEmpty && $0.first != UInt8(ascii: "-") && $0.last != UInt8(ascii: "-") }),
              (labels.last?.count ?? 0) >= 2 else { return nil }
        return String(decoding: email, as: UTF8.self)
    }

    /// `normalizedEmail` by Characters, for text with anything beyond ASCII.
    static func normalizedUnicodeEmail(_ text: String) -> String? {
        let email = text.trimmingASCIISpaces().lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
              !email.contains(where: { $0.isWhitespace || $0 == "," || $0 == "<" || $0 == ">" }) else { return nil }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
              (labels.last?.count ?? 0) >= 2 else { return nil }
        return email
    }

    public static func isPlausibleEmail(_ text: String) -> Bool { normalizedEmail(text) != nil }

    /// Parses `HH:MM`, or throws a clear error for `field`.
    public static func wallTime(_ text: String, field: String) throws(ValidationError) -> WallTime {
        guard let t = WallTime(text.trimmingASCIISpaces()) else {
            throw ValidationError(field: field, message: "Enter a time as HH:MM, for example 09:30.")
        }
        return t
    }

    /// Parses `YYYY-MM-DD`, or throws a clear error for `field`.
    public static func date(_ text: String, field: String) throws(ValidationError) -> LocalDate {
        guard let d = LocalDate(text.trimmingASCIISpaces()) else {
            throw ValidationError(field: field, message: "Enter a date as YYYY-MM-DD, for example 2026-12-01.")
        }
        return d
    }

    /// A whole number of minutes in `range` (e.g. a duration `5...1440`).
    public static func minutes(_ text: String, field: String, in range: ClosedRange<Int>) throws(ValidationError) -> Int {
        guard let v = Int(text.trimmingASCIISpaces()) else {
            throw ValidationError(field: field, message: "Enter a whole number of minutes.")
        }
        return try minutes(v, field: field, in: range)
    }

    public static func minutes(_ value: Int, field: String, in range: ClosedRange<Int>) throws(ValidationError) -> Int {
        guard range.contains(value) else {
            throw ValidationError(field: field,
                                  message: "Enter between \(range.lowerBound) and \(range.upperBound) minutes.")
        }
        return value
    }

    /// Common Latin letters without their accents.
    static func fold(_ ch: Character) -> String {
        if ch.isASCII { return String(ch) }
        switch ch {
        case "à", "á", "â", "ã", "ä", "å", "ā", "ă", "ą": return "a"
        case "æ": return "ae"
        case "ç", "ć", "č": return "c"
        case "ď", "đ", "ð": return "d"
        case "è", "é", "ê", "ë", "ē", "ė", "ę", "ě": return "e"
        case "ğ": return "g"
        case "ì", "í", "î", "ï", "ī", "į", "ı": return "i"
        case "ł", "ľ": return "l"
        case "ñ", "ń", "ň": return "n"
        case "ò", "ó", "ô", "õ", "ö", "ø", "ō", "ő": return "o"
        case "œ": return "oe"
        case "ř": return "r"
        case "ś", "š", "ş": return "s"
        case "ß": return "ss"
        case "ť", "ţ": return "t"
        case "þ": return "th"
        case "ù", "ú", "û", "ü", "ū", "ů", "ű", "ų": return "u"
        case "ý", "ÿ": return "y"
        case "ź", "ż", "ž": return "z"
        default: return " "
        }
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
