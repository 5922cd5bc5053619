import Foundation
import Testing
@testable import Web

/// The API key of `Authorization: Bearer …` is taken without the whitespace around it; a plain key
/// is taken as it is (no Foundation trimming on every request).
struct APIKeyTrimTests {
    @Test func aKeyLosesTheWhitespaceAroundItAndNothingElse() {
        #expect(RequestContext.trimmedKey("bz_abc123") == "bz_abc123")
        #expect(RequestContext.trimmedKey("  bz_abc123\t") == "bz_abc123")
        #expect(RequestContext.trimmedKey("\u{00A0}bz_abc123\u{2003}") == "bz_abc123")
        #expect(RequestContext.trimmedKey("bz_a b") == "bz_a b")
        #expect(RequestContext.trimmedKey("") == "")
        #expect(RequestContext.trimmedKey(" ") == "")
    }
}
