import Foundation
import Testing
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
