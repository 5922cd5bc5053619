import Foundation
import Testing
@testable import Store
@testable import Web

struct JSONWriterTests {
    @Test func writesValidJSONWithEscapes() throws {
        let nasty = "quote \" backslash \\ newline \n tab \t bell \u{07} emoji 🎉 é"
        var json = JSONWriter()
        json.beginObject()
        json.field("text", nasty)
        json.field("n", Int64(-42))
        json.field("missing", nil as String?)
        json.field("list", strings: ["a", "b\"c"])
        json.key("nested")
        json.beginArray()
        json.beginObject()
        json.field("x", 1)
        json.endObject()
        json.beginObject()
        json.endObject()
        json.endArray()
        json.endObject()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(parsed["text"] as? String == nasty)
        #expect(parsed["n"] as? Int == -42)
        #expect(parsed["missing"] is NSNull)
        #expect(parsed["list"] as? [String] == ["a", "b\"c"])
        #expect((parsed["nested"] as? [[String: Any]])?.count == 2)
    }
}

/// Documents built once (the OpenAPI document) go through the same writer: sorted keys, so the
/// bytes are stable, and every value kind the document uses.
struct JSONWriterDocumentTests {
    @Test func aTreeIsWrittenWithSortedKeysAndEveryValueKind() throws {
        var json = JSONWriter()
        json.value(any: ["b": [1, "two", true, NSNull()] as [Any], "a": ["z": 2.0, "y": "\"q\""] as [String: Any]] as [String: Any])
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"a":{"y":"\"q\"","z":2},"b":[1,"two",true,null]}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(json.bytes)) is [String: Any])
    }
}

/// The availability body writes its fixed parts as bytes, each day's date once and each run of
/// slots with the same resources once: the bytes are what the general writer gives, field by field.
struct SlotsBodyTests {
    /// The body as the general writer writes it, field by field.
    static func general(_ slots: [AvailabilityReads.SlotView]) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("slots")
        json.beginArray()
        for slot in slots {
            json.beginObject()
            json.field("start", instant: slot.start)
            json.field("end", instant: slot.end)
            json.field("resources", strings: slot.resourceSlugs)
            json.field("seats_left", slot.seatsLeft)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    @Test func aSlotListIsWrittenAsTheGeneralWriterWritesIt() throws {
        let shared = ["host-1", "room \"a\"\\b"]
        let slots: [AvailabilityReads.SlotView] = [
            .init(start: 1_795_366_800, end: 1_795_369_500, resourceSlugs: shared, seatsLeft: 10),
            .init(start: 1_795_367_700, end: 1_795_370_400, resourceSlugs: shared, seatsLeft: 0),
            .init(start: 1_795_453_200, end: 1_795_455_000, resourceSlugs: ["host-2"], seatsLeft: 123_456),
            .init(start: -90_000, end: -86_400, resourceSlugs: [], seatsLeft: 1),
            .init(start: 1_795_453_200, end: 1_795_455_000, resourceSlugs: ["host-2"], seatsLeft: -3),
        ]
        #expect(String(decoding: APIModels.slotsBody(slots), as: UTF8.self) == String(decoding: Self.general(slots), as: UTF8.self))
        #expect(String(decoding: APIModels.slotsBody([]), as: UTF8.self) == #"{"slots":[]}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(APIModels.slotsBody(slots))) as? [String: Any])
        #expect((parsed["slots"] as? [[String: Any]])?.first?["resources"] as? [String] == shared)
    }

    /// A month's worth of slots in runs, with stamps past 9999 and before 1970, any seat count and
    /// slugs that need escaping: the body written in place is the general writer's, byte for byte.
    @Test func aLongSlotListIsWrittenAsTheGeneralWriterWritesIt() {
        var generator = SystemRandomNumberGenerator()
        let lists = [["host-1"], ["host-2", "room-1"], [], ["h\"q\\\u{01}", "é-ü"], ["host-1"]]
        var slots: [AvailabilityReads.SlotView] = []
        var start = Int64.random(in: 1_700_000_000...1_900_000_000, using: &generator)
        var slugs = lists[0]
        for n in 0..<3_000 {
            if Int.random(in: 0..<9, using: &generator) == 0 { slugs = lists.randomElement(using: &generator)! }
            let at = n == 100 ? 253_402_300_000 : n == 200 ? -4_000_000_000_000 : start
            slots.append(.init(start: at, end: at + Int64.random(in: 900...90_000, using: &generator), resourceSlugs: slugs,
                               seatsLeft: [0, 1, 7, 123_456, -3, Int.max, Int.min].randomElement(using: &generator)!))
            start += Int64.random(in: 0...7_200, using: &generator)
        }
        #expect(APIModels.slotsBody(slots) == Self.general(slots))
    }
}
