import Testing
@testable import HTTPServer

struct FormDataTests {
    @Test func keepsRepeatedKeysInOrder() throws {
        let form = try FormData(parsing: "days=mon&days=tue&name=A&days=sun")
        #expect(form.all("days") == ["mon", "tue", "sun"])
        #expect(form["name"] == "A")
        #expect(form["missing"] == nil)
    }

    @Test func decodesPlusAndPercentEscapes() throws {
        let form = try FormData(parsing: "name=Zelda+Quinn&email=z%40example.com&note=caf%C3%A9%20%26%20tea")
        #expect(form["name"] == "Zelda Quinn")
        #expect(form["email"] == "z@example.com")
        #expect(form["note"] == "café & tea")
    }

    @Test func emptyValuesAndBareKeys() throws {
        let form = try FormData(parsing: "a=&b&&c=1")
        #expect(form["a"] == "")
        #expect(form["b"] == "")
        #expect(form["c"] == "1")
        #expect(try FormData(parsing: "").pairs.isEmpty)
    }

    @Test(arguments: ["a=%", "a=%4", "a=%zz", "a=%G1", "%=1", "a=%00", "a=%C3%28", "a=%FF"])
    func refusesMalformedPercentEncoding(_ input: String) {
        #expect(throws: FormData.ParseError.self) { try FormData(parsing: Substring(input)) }
    }

    @Test func acceptsHugeValues() throws {
        let big = String(repeating: "x", count: 500_000)
        #expect(try FormData(parsing: Substring("v=" + big))["v"]?.count == 500_000)
    }

    @Test func refusesTooManyFields() {
        let many = (0...FormData.maxFields).map { "f\($0)=1" }.joined(separator: "&")
        #expect(throws: FormData.ParseError.tooManyFields) { try FormData(parsing: Substring(many)) }
    }

    @Test func encodesRoundTrip() throws {
        var form = FormData()
        form.append("name", "Zoë & Co")
        form.append("x", "1+1=2")
        #expect(try FormData(parsing: Substring(form.encoded)) == form)
    }

    @Test func requestTargetDecodesPathStrictly() throws {
        let request = try Request(method: "GET", target: "/b/caf%C3%A9?date=2026-12-01&x=%20")
        #expect(request.path == "/b/café")
        #expect(request.query["date"] == "2026-12-01")
        #expect(request.query["x"] == " ")
        #expect(throws: Request.RequestError.self) { try Request(method: "GET", target: "/b/%zz") }
        #expect(throws: Request.RequestError.self) { try Request(method: "GET", target: "/b?x=%") }
        #expect(throws: Request.RequestError.self) { try Request(method: "GET", target: "*") }
    }

    @Test func parsesCookies() {
        let request = Request(method: "GET", path: "/", headers: Headers([("Cookie", "a=1; bizing_session=abc; a=2")]))
        #expect(request.cookies["bizing_session"] == "abc")
        #expect(request.cookies["a"] == "1")
    }
}
