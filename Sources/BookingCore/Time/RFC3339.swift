/// RFC 3339 timestamps in UTC, e.g. `2026-12-01T14:00:00Z`, without Foundation formatters.
public enum RFC3339 {
    /// Formats as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func format(_ instant: Instant) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        write(instant, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the `YYYY-MM-DDTHH:MM:SSZ` bytes (JSON writers use this: no String per instant).
    public static func write(_ instant: Instant, into bytes: inout [UInt8]) {
        let days = floorDiv(instant, 86_400)
        let secs = Int(instant - days * 86_400)
        let d = LocalDate(daysSinceEpoch: days)
        guard (0...9999).contains(d.year) else {
            bytes.append(contentsOf: "\(d)T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))Z".utf8)
            return
        }
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(48 + value / divisor % 10))
                divisor /= 10
            }
        }
        digits(d.year, 4); bytes.append(UInt8(ascii: "-")); digits(d.month, 2); bytes.append(UInt8(ascii: "-")); digits(d.day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(secs / 3600, 2); bytes.append(UInt8(ascii: ":")); digits(secs / 60 % 60, 2); bytes.append(UInt8(ascii: ":"))
        digits(secs % 60, 2)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Writes instants as `write(_:into:)` does, keeping the date of the last day written: a list
    /// of times (a month of slots, many a day) converts each calendar day once, not each instant.
    public struct DayWriter {
        private var day = Int64.min
        /// `YYYY-MM-DDT` of `day`.
        private var date: [UInt8] = []

        public init() {}

        /// Appends what `write(_:to:)` writes in place (one code for both).
        public mutating func write(_ instant: Instant, into bytes: inout [UInt8]) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxBytes) { buffer in
                let count = write(instant, to: buffer.baseAddress!)
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
            }
        }

        /// The most bytes `write(_:to:)` writes (20 for years 0…9999; others are longer).
        public static let maxBytes = 40

        /// Writes what `write(_:into:)` appends at `p`, which has room for `maxBytes`, and returns how
        /// many bytes it wrote (a body of many stamps written in place, with no append per byte).
        @inline(__always)
        public mutating func write(_ instant: Instant, to p: UnsafeMutablePointer<UInt8>) -> Int {
            let days = floorDiv(instant, 86_400)
            if days != day {
                var full: [UInt8] = []
                RFC3339.write(days * 86_400, into: &full)
                // Years outside 0…9999 are written another way: not kept.
                guard full.count == 20 else {
                    full.removeAll(keepingCapacity: true)
                    RFC3339.write(instant, into: &full)
                    full.withUnsafeBufferPointer { p.initialize(from: $0.baseAddress!, count: $0.count) }
                    return full.count
                }
                day = days
                date = Array(full.prefix(11))
            }
            date.withUnsafeBufferPointer { p.initialize(from: $0.baseAddress!, count: 11) }
            let secs = Int(instant - days * 86_400)
            let h = secs / 3600, m = secs / 60 % 60, s = secs % 60
            p[11] = UInt8(truncatingIfNeeded: 48 + h / 10); p[12] = UInt8(truncatingIfNeeded: 48 + h % 10); p[13] = UInt8(ascii: ":")
            p[14] = UInt8(truncatingIfNeeded: 48 + m / 10); p[15] = UInt8(truncatingIfNeeded: 48 + m % 10); p[16] = UInt8(ascii: ":")
            p[17] = UInt8(truncatingIfNeeded: 48 + s / 10); p[18] = UInt8(truncatingIfNeeded: 48 + s % 10); p[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. Fractions are dropped (floor).
    public static func parse(_ text: String) -> Instant? {
        let b = Array(text.utf8)
        guard b.count >= 20, let date = LocalDate(String(decoding: b[0..<10], as: UTF8.self)),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let h = parseDigits(b[11..<13]), let m = parseDigits(b[14..<16]), let s = parseDigits(b[17..<19]),
              h < 24, m < 60, s < 60
        else { return nil }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > fracStart else { return nil }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"),
                  let oh = parseDigits(b[(i + 1)..<(i + 3)]), let om = parseDigits(b[(i + 4)..<(i + 6)]),
                  oh < 24, om < 60 else { return nil }
            offset = Int64(oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        return date.daysSinceEpoch * 86_400 + Int64(h * 3600 + m * 60 + s) - offset
    }
}
