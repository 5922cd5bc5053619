import Testing
@testable import Outbound

struct MIMERenderingTests {
    @Test func rendersDateInRFC5322Form() {
        #expect(MIME.date(0) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }
}
