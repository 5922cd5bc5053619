import Foundation
import Testing
@testable import BookingCore

struct RFC3339Tests {
    @Test func formatsKnownInstants() {
        #expect(RFC3339.format(0) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(-1) == "1969-12-31T23:59:59Z")
        #expect(RFC3339.format(1_772_953_200) == "2026-03-08T07:00:00Z")
        #expect(RFC3339.format(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.format(253_402_300_799) == "9999-12-31T23:59:59Z")
    }

    @Test func formatAgreesWithFoundationAndParsesBack() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let instant = Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator)   // 1900…2100
            let text = RFC3339.format(instant)
            #expect(text == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(instant))))
            #expect(RFC3339.parse(text) == instant)
        }
    }

    /// The day writer keeps each day's date: a sequence of instants, in order or not, across days,
    /// before 1970 and past 9999, is written exactly as `write` writes each.
    @Test func theDayWriterWritesWhatWriteWrites() {
        var generator = SystemRandomNumberGenerator()
        var instants: [Int64] = [0, -1, 86_399, 86_400, 253_402_300_799, 253_402_300_800, -62_167_219_201, 1_795_366_800]
        var start = Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator)
        for _ in 0..<2_000 {
            instants.append(start)
            start += Int64.random(in: -3_600...20_000, using: &generator)
        }
        var writer = RFC3339.DayWriter()
        var kept: [UInt8] = [], plain: [UInt8] = []
        for instant in instants {
            writer.write(instant, into: &kept)
            RFC3339.write(instant, into: &plain)
        }
        #expect(kept == plain)
    }

    /// Written in place, the day writer gives the same bytes and counts them: in order or not,
    /// across days, before 1970 and past 9999 (longer than 20 bytes, within `maxBytes`).
    @Test func theDayWriterWritesInPlaceWhatWriteWrites() {
        var generator = SystemRandomNumberGenerator()
        var instants: [Int64] = [0, -1, 86_399, 86_400, 253_402_300_799, 253_402_300_800, -62_167_219_201, 1_795_366_800,
                                 4_000_000_000_000, -4_000_000_000_000, 1_795_366_800]
        var start = Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator)
        for _ in 0..<2_000 {
            instants.append(start)
            start += Int64.random(in: -3_600...20_000, using: &generator)
        }
        var writer = RFC3339.DayWriter()
        var buffer = [UInt8](repeating: 0, count: RFC3339.DayWriter.maxBytes)
        for instant in instants {
            var plain: [UInt8] = []
            RFC3339.write(instant, into: &plain)
            let count = buffer.withUnsafeMutableBufferPointer { writer.write(instant, to: $0.baseAddress!) }
            #expect(count <= RFC3339.DayWriter.maxBytes)
            #expect(Array(buffer.prefix(count)) == plain, "\(instant)")
        }
    }

    @Test func writeAppendsTheSameBytes() {
        var bytes = Array("x".utf8)
        RFC3339.write(1_795_366_800, into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + RFC3339.format(1_795_366_800))
    }
}
