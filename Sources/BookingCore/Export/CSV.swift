/// CSV as RFC 4180 writes it (CRLF line ends, a field quoted when it holds a comma, a quote, CR or
/// LF, quotes doubled), UTF-8, and safe to open in a spreadsheet: a cell that starts with `=`, `+`,
/// `-` or `@` (or a tab or CR, which some spreadsheets skip before reading a formula) gets a leading
/// `'` and is quoted, so `=HYPERLINK(…)` in a customer's name is shown as text, never run. A plain
/// number ("-12.50", a refund) is left as it is: it cannot be a formula, and the accountant needs it
/// to add up.
public struct CSVWriter: Sendable {
    public private(set) var text = ""

    public init(header: [String]) { append(header) }

    public mutating func append(_ row: [String]) {
        text += row.map(Self.cell).joined(separator: ",")
        text += "\r\n"
    }

    /// Characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field, neutralised and quoted as needed.
    public static func cell(_ value: String) -> String {
        if let first = value.first, formulaStarts.contains(first), !isPlainNumber(value) {
            return quote("'" + value)
        }
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        return needsQuotes ? quote(value) : value
    }

    /// An optional minus, digits, optionally a point and more digits.
    static func isPlainNumber(_ value: String) -> Bool {
        var rest = Substring(value)
        if rest.first == "-" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    static func quote(_ value: String) -> String {
        "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}
