import BookingCore
import Foundation
import Testing
@testable import Store

/// A booking's price breakdown is stored as JSON written by hand (`SpecRow.json(_: PriceBreakdown)`):
/// it must read back as the same breakdown, and be the text the general encoder writes.
struct PriceJSONTests {
    func random(_ alphabet: [Unicode.Scalar], using generator: inout some RandomNumberGenerator) -> PriceBreakdown {
        func text() -> String {
            var text = ""
            for _ in 0..<Int.random(in: 0...10, using: &generator) { text.unicodeScalars.append(alphabet.randomElement(using: &generator)!) }
            return text
        }
        let lines = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
            PriceBreakdown.Line(label: text(), amount: Int64.random(in: -1_000_000...1_000_000, using: &generator))
        }
        return PriceBreakdown(currency: ["EUR", "USD", "JPY"].randomElement(using: &generator)!, model: ["fixed", "hourly", "per_person"].randomElement(using: &generator)!,
                              lines: lines, total: Int64.random(in: 0...Int64(Int32.max), using: &generator),
                              deposit: Int64.random(in: 0...10_000, using: &generator))
    }

    @Test func thePriceWrittenByHandIsWhatTheEncoderWritesAndReadsBack() throws {
        var generator = SystemRandomNumberGenerator()
        let plain: [Unicode.Scalar] = Array("abcXYZ 019 −%().,'é€日🌿".unicodeScalars)
        let any: [Unicode.Scalar] = plain + (0...0x7F).compactMap(Unicode.Scalar.init)
        for _ in 0..<1_000 {
            let price = random(plain, using: &generator)
            #expect(try SpecRow.json(price) == String(decoding: try SpecRow.encoder.encode(price), as: UTF8.self))
            let odd = random(any, using: &generator)
            #expect(try JSONDecoder().decode(PriceBreakdown.self, from: Data(try SpecRow.json(odd).utf8)) == odd)
        }
    }
}
