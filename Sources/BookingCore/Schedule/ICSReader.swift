/// The content lines of an iCalendar text (RFC 5545 §3.1): unfolded (a line starting with a space
/// or tab continues the previous one), CRLF or bare LF, each split into name, parameters and value.
struct ICSLine: Sendable, Hashable {
    let name: String
    let parameters: [String: String]
    let value: String

    static func parse(_ text: String) -> [ICSLine] {
        var logical: [String] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if let first = raw.first, first == " " || first == "\t", !logical.isEmpty {
                logical[logical.count - 1] += raw.dropFirst()
            } else {
                logical.append(String(raw))
            }
        }
        return logical.compactMap(line)
    }

    /// `NAME;P1=V1;P2="V;2":VALUE`, the colon found outside quotes.
    static func line(_ text: String) -> ICSLine? {
        var inQuotes = false
        var head = "", value = ""
        var index = text.startIndex
        while index < text.endIndex {
            let ch = text[index]
            if ch == "\"" { inQuotes.toggle() }
            if ch == ":" && !inQuotes {
                value = String(text[text.index(after: index)...])
                break
            }
            head.append(ch)
            index = text.index(after: index)
        }
        guard index < text.endIndex else { return nil }
        var parts: [String] = [], current = ""
        inQuotes = false
        for ch in head {
            if ch == "\"" { inQuotes.toggle(); continue }
            if ch == ";" && !inQuotes { parts.append(current); current = ""; continue }
            current.append(ch)
        }
        parts.append(current)
        guard let name = parts.first, !name.isEmpty else { return nil }
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { parameters[pair[0].uppercased()] = String(pair[1]) }
        }
        return ICSLine(name: name.uppercased(), parameters: parameters, value: value)
    }
}

/// A DATE or DATE-TIME value of an imported calendar: an instant (UTC), a wall-clock time in a zone
/// (TZID, or the default zone for a floating time), or a whole day.
enum ICSTime: Sendable, Hashable {
    case utc(Instant)
    case local(LocalDate, seconds: Int, zone: String)
    case day(LocalDate)

    /// `20270308T090000Z`, `20270308T090000` (in `zone`) or `20270308` (`VALUE=DATE`).
    static func parse(_ value: String, zone: String) -> ICSTime? {
        let bytes = Array(value.utf8)
        func number(_ range: Range<Int>) -> Int? { range.upperBound <= bytes.count ? parseDigits(bytes[range]) : nil }
        guard let year = number(0..<4), let month = number(4..<6), let dayNumber = number(6..<8),
              let date = LocalDate(year: year, month: month, day: dayNumber) else { return nil }
        if bytes.count == 8 { return .day(date) }
        guard bytes.count >= 15, bytes[8] == UInt8(ascii: "T"), let hour = number(9..<11), let minute = number(11..<13),
              let second = number(13..<15), hour < 24, minute < 60, second < 61 else { return nil }
        let seconds = hour * 3600 + minute * 60 + min(second, 59)
        if bytes.count == 16, bytes[15] == UInt8(ascii: "Z") {
            return .utc(date.daysSinceEpoch * 86_400 + Int64(seconds))
        }
        return bytes.count == 15 ? .local(date, seconds: seconds, zone: zone) : nil
    }
}
