/// A wall-clock time of day in minutes since local midnight, `0...1440` (1440 is `24:00`,
/// allowed as a closing time).
public struct WallTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let minutes: Int

    public init?(minutes: Int) {
        guard (0...1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    public init?(hour: Int, minute: Int) {
        guard (0...24).contains(hour), (0...59).contains(minute) else { return nil }
        self.init(minutes: hour * 60 + minute)
    }

    /// Parses `HH:MM` (or `H:MM`), 00:00…24:00.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon == b.count - 3,
              (1...2).contains(colon),
              let h = parseDigits(b[0..<colon]), let m = parseDigits(b[(colon + 1)...])
        else { return nil }
        self.init(hour: h, minute: m)
    }

    public static let midnight = WallTime(minutes: 0)!
    public static let endOfDay = WallTime(minutes: 1440)!

    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }

    /// `HH:MM`.
    public var description: String { "\(pad(hour, 2)):\(pad(minute, 2))" }

    public static func < (a: WallTime, b: WallTime) -> Bool { a.minutes < b.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = WallTime(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected HH:MM, got \(text)"))
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
