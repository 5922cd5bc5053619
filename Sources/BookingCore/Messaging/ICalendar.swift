/// One booking as an iCalendar (RFC 5545) file: a single VEVENT, times in UTC, CRLF line endings.
/// Pure: the pages' `.ics` download and the confirmation email's attachment are this one text.
public enum ICalendar {
    /// `sequence` is the booking's revision: it grows with every change (a move, a cancellation),
    /// so that a calendar that imported the event earlier replaces it (RFC 5545 §3.8.7.4).
    public static func event(uid: String, sequence: Int, start: Instant, end: Instant, summary: String, location: String,
                             status: BookingStatus, now: Instant) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Bizing//Bookings//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:\(uid)@bizing",
            "SEQUENCE:\(sequence)",
            "DTSTAMP:\(utc(now))",
            "DTSTART:\(utc(start))",
            "DTEND:\(utc(end))",
            "SUMMARY:\(escape(summary))",
        ]
        if !location.isEmpty { lines.append("LOCATION:\(escape(location))") }
        lines.append("STATUS:\(status == .cancelled ? "CANCELLED" : status == .pending ? "TENTATIVE" : "CONFIRMED")")
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// "20261201T140000Z".
    public static func utc(_ instant: Instant) -> String {
        let text = RFC3339.format(instant)   // 2026-12-01T14:00:00Z
        return text.filter { $0 != "-" && $0 != ":" }
    }

    /// TEXT escaping: backslash, semicolon, comma and newlines.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets (continuation lines start with a space), never inside a character.
    public static func fold(_ line: String) -> String {
        var parts: [String] = [], current = "", size = 0
        for ch in line {
            let width = String(ch).utf8.count
            if size + width > (parts.isEmpty ? 75 : 74) {
                parts.append(current)
                current = ""
                size = 0
            }
            current.append(ch)
            size += width
        }
        parts.append(current)
        return parts.joined(separator: "\r\n ")
    }
}
