/// iCalendar (RFC 5545) text: one booking's file, or a calendar of many events (the subscription
/// feeds). Times in UTC, CRLF line endings, lines folded at 75 octets, TEXT escaped. Pure: the
/// pages' `.ics` download, the confirmation email's attachment and the feeds are this one writer.
public enum ICalendar {
    /// One VEVENT.
    public struct Event: Sendable, Hashable {
        public let uid: String
        /// The event's revision (RFC 5545 §3.8.7.4); nil leaves SEQUENCE out (0).
        public let sequence: Int?
        /// DTSTAMP: when this revision of the event was made.
        public let stamp: Instant
        public let start: Instant
        public let end: Instant
        public let summary: String
        public let location: String
        public let description: String
        public let status: BookingStatus?

        public init(uid: String, sequence: Int? = nil, stamp: Instant, start: Instant, end: Instant, summary: String,
                    location: String = "", description: String = "", status: BookingStatus?) {
            self.uid = uid
            self.sequence = sequence
            self.stamp = stamp
            self.start = start
            self.end = end
            self.summary = summary
            self.location = location
            self.description = description
            self.status = status
        }

        var lines: [String] {
            var lines = ["BEGIN:VEVENT", "UID:\(uid)@bizing"]
            if let sequence { lines.append("SEQUENCE:\(sequence)") }
            lines += ["DTSTAMP:\(utc(stamp))", "DTSTART:\(utc(start))", "DTEND:\(utc(end))", "SUMMARY:\(escape(summary))"]
            if !location.isEmpty { lines.append("LOCATION:\(escape(location))") }
            if !description.isEmpty { lines.append("DESCRIPTION:\(escape(description))") }
            if let status { lines.append("STATUS:\(ICalendar.status(status))") }
            lines.append("END:VEVENT")
            return lines
        }
    }

    /// `sequence` is the booking's revision: it grows with every change (a move, a cancellation),
    /// so that a calendar that imported the event earlier replaces it (RFC 5545 §3.8.7.4).
    public static func event(uid: String, sequence: Int, start: Instant, end: Instant, summary: String, location: String,
                             status: BookingStatus, now: Instant) -> String {
        calendar([Event(uid: uid, sequence: sequence, stamp: now, start: start, end: end, summary: summary, location: location,
                        status: status)])
    }

    /// A calendar of `events`; `name` (RFC 7986 NAME and the common X-WR-CALNAME) and a refresh
    /// interval for subscriptions.
    public static func calendar(_ events: [Event], name: String? = nil, refreshMinutes: Int? = nil) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bizing//Bookings//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        if let name { lines += ["NAME:\(escape(name))", "X-WR-CALNAME:\(escape(name))"] }
        if let refreshMinutes {
            lines += ["REFRESH-INTERVAL;VALUE=DURATION:PT\(refreshMinutes)M", "X-PUBLISHED-TTL:PT\(refreshMinutes)M"]
        }
        for event in events { lines += event.lines }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func status(_ status: BookingStatus) -> String {
        status == .cancelled ? "CANCELLED" : status == .pending ? "TENTATIVE" : "CONFIRMED"
    }

    /// "20261201T140000Z".
    public static func utc(_ instant: Instant) -> String {
        let text = RFC3339.format(instant)   // 2026-12-01T14:00:00Z
        return text.filter { $0 != "-" && $0 != ":" }
    }

    /// TEXT escaping: backslash, semicolon, comma and newlines; other control characters (not
    /// allowed in a content line) become spaces.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default:
                if ch.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
                    out.append(" ")
                } else {
                    out.append(ch)
                }
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
