import HTTPServer
import Testing

struct PercentEncodingTests {
    @Test func encodingKeepsUnreservedBytesAndEscapesEveryOtherByte() {
        #expect(PercentDecoding.encode("aZ09-._~") == "aZ09-._~")
        #expect(PercentDecoding.encode("a b/c&d=é+") == "a%20b%2Fc%26d%3D%C3%A9%2B")
        #expect(PercentDecoding.encode("") == "")
        let token = "3f9a0c7e2b5d4e1f8a6b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f"
        #expect(PercentDecoding.encode(token) == token)
    }
}
