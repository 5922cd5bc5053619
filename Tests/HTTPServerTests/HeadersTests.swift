import Testing
@testable import HTTPServer

@Suite struct HeadersTests {
    @Test func looksUpNamesIgnoringASCIICase() {
        var headers = Headers([("Content-Type", "text/html"), ("set-cookie", "a=1"), ("Set-Cookie", "b=2")])
        #expect(headers["content-type"] == "text/html")
        #expect(headers["CONTENT-TYPE"] == "text/html")
        #expect(headers["Content-Typ"] == nil)
        #expect(headers["Content-Typf"] == nil)
        #expect(headers.values("SET-COOKIE") == ["a=1", "b=2"])
        headers.set("SET-cookie", "c=3")
        #expect(headers.values("set-cookie") == ["c=3"])
        #expect(headers.count == 2)
    }

    @Test func doesNotFoldNonLetters() {
        // '[' (0x5B) and '{' (0x7B) differ by 0x20 like letters do, but are not letters.
        #expect(!"a[".caseInsensitiveEquals("a{"))
        #expect("X-Frame-Options".caseInsensitiveEquals("x-frame-options"))
    }

    @Test func formatsIPv4AddressesAsDottedQuads() {
        #expect(dottedQuad(0x7F00_0001) == "127.0.0.1")
        #expect(dottedQuad(0) == "0.0.0.0")
        #expect(dottedQuad(0xFFFF_FFFF) == "255.255.255.255")
        #expect(dottedQuad(0x0A64_0A09) == "10.100.10.9")
    }

    @Test func securityHeadersKeepWhatTheHandlerSet() {
        var html = Response.html("<p>x</p>")
        html.headers.add("Cache-Control", "private, max-age=60")
        SecurityHeaders.apply(to: &html)
        #expect(html.headers.values("Cache-Control") == ["private, max-age=60"])
        #expect(html.headers["Content-Security-Policy"] == SecurityHeaders.contentSecurityPolicy)
        #expect(html.headers["X-Frame-Options"] == "DENY")
        #expect(html.headers["Cross-Origin-Opener-Policy"] == "same-origin")
        #expect(html.headers["Permissions-Policy"]?.contains("camera=()") == true)
        #expect(html.headers["Strict-Transport-Security"] == nil)
        var json = Response.json([])
        SecurityHeaders.apply(to: &json)
        #expect(json.headers["X-Content-Type-Options"] == "nosniff")
        #expect(json.headers["Content-Security-Policy"] == nil)
        #expect(json.headers["Cache-Control"] == nil)
    }
}
