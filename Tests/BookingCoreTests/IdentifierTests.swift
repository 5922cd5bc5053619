import BookingCore
import Foundation
import Testing

/// Typed identifiers read, print, encode and sort exactly as the bare numbers they replace.
struct IdentifierTests {
    @Test func encodesAndDecodesAsTheBareNumber() throws {
        struct Row: Codable, Equatable { let id: OfferID; let business: BusinessID?; let resources: [ResourceID] }
        let row = Row(id: 42, business: BusinessID(rawValue: 7), resources: [3, 1])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(row), as: UTF8.self)
        #expect(json == #"{"business":7,"id":42,"resources":[3,1]}"#)
        #expect(try JSONDecoder().decode(Row.self, from: Data(json.utf8)) == row)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Row.self, from: Data(#"{"id":"42","resources":[]}"#.utf8)) }
    }

    @Test func printsAndParsesAsTheBareNumber() {
        let id = BookingID(rawValue: 9_007_199_254_740_993)
        #expect(id.description == "9007199254740993")
        #expect("\(LocationID(rawValue: -3))" == "-3")
        #expect(String(UserID(rawValue: 12)) == "12")
        #expect(BookingID("9007199254740993") == id)
        for bad in ["", "abc", "1.5", " 1", "12x", "99999999999999999999"] { #expect(UserID(bad) == nil, "\(bad)") }
    }

    @Test func comparesAndHashesByValue() {
        let ids: [ResourceID] = [5, 1, 3, 1]
        #expect(ids.sorted() == [1, 1, 3, 5])
        #expect(Set(ids).count == 3)
        #expect(ResourceID(rawValue: 1) < ResourceID(rawValue: 2))
        #expect(OfferVersionID(rawValue: 4) == 4)
    }

    @Test func costsNoMoreThanTheNumber() {
        #expect(MemoryLayout<BusinessID>.size == MemoryLayout<Int64>.size)
        #expect(MemoryLayout<BusinessID?>.size == MemoryLayout<Int64?>.size)
        #expect(MemoryLayout<[ResourceID]>.stride == MemoryLayout<[Int64]>.stride)
    }
}
