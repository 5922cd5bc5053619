import Foundation
import Testing
@testable import BookingCore

struct JSONStringTests {
    func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONString.append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func escapesQuotesBackslashesAndControlCharactersOnly() {
        #expect(quoted("") == #""""#)
        #expect(quoted("a/b Zoë 🌿") == "\"a/b Zoë 🌿\"")
        #expect(quoted("say \"hi\"\\") == #""say \"hi\"\\""#)
        #expect(quoted("\n\r\t\u{08}\u{0C}") == #""\n\r\t\b\f""#)
        #expect(quoted("\u{00}\u{07}\u{1B}\u{1F}\u{7F}") == "\"\\u0000\\u0007\\u001b\\u001f\u{7F}\"")
    }

    /// Every string of every byte below 0x80 and a few longer UTF-8 sequences reads back as itself.
    @Test func whatItWritesParsesBackAsTheSameString() throws {
        var text = ""
        for value in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        for sample in [text, text + "é€日🌿\u{301}\u{2028}", "plain"] {
            let parsed = try JSONSerialization.jsonObject(with: Data(quoted(sample).utf8), options: .fragmentsAllowed) as? String
            #expect(parsed == sample)
        }
    }
}
