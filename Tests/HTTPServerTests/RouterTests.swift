import Testing
@testable import HTTPServer

struct RouterTests {
    func router() -> Router<String> {
        var router = Router<String>()
        router.add("GET", "/", "home")
        router.add("GET", "/b/:business", "business")
        router.add("GET", "/b/:business/:offer", "offer")
        router.add("POST", "/b/:business/:offer/hold", "hold")
        router.add("GET", "/b/:business/checkout/:hold", "checkout")
        router.add("GET", "/bookings/:id", "booking")
        router.add("GET", "/bookings/:id.ics", "ics")
        router.add("GET", "/public/*path", "static")
        router.add("GET", "/manage/:business/", "dashboard")
        return router
    }

    func found(_ match: Router<String>.Match) -> (String, [String: String])? {
        if case .found(let handler, let parameters) = match { return (handler, parameters) }
        return nil
    }

    @Test func matchesStaticAndParameterisedPaths() {
        let router = router()
        #expect(found(router.match(method: "GET", path: "/"))?.0 == "home")
        let offer = found(router.match(method: "GET", path: "/b/demo/consultation"))
        #expect(offer?.0 == "offer")
        #expect(offer?.1 == ["business": "demo", "offer": "consultation"])
    }

    @Test func literalSegmentBeatsParameter() {
        let match = found(router().match(method: "GET", path: "/b/demo/checkout/abc"))
        #expect(match?.0 == "checkout")
        #expect(match?.1["hold"] == "abc")
    }

    @Test func suffixParameterMatchesOnlyWithSuffix() {
        #expect(found(router().match(method: "GET", path: "/bookings/42.ics"))?.1 == ["id": "42"])
        #expect(found(router().match(method: "GET", path: "/bookings/42"))?.0 == "booking")
    }

    @Test func wildcardCapturesTheRest() {
        #expect(found(router().match(method: "GET", path: "/public/css/site.css"))?.1 == ["path": "css/site.css"])
        #expect(found(router().match(method: "GET", path: "/public")) == nil)
    }

    @Test func trailingSlashIsSignificant() {
        #expect(found(router().match(method: "GET", path: "/manage/demo/"))?.0 == "dashboard")
        if case .notFound = router().match(method: "GET", path: "/manage/demo") {} else { Issue.record("expected 404") }
    }

    @Test func wrongMethodListsAllowedMethods() {
        guard case .methodNotAllowed(let allow) = router().match(method: "DELETE", path: "/b/demo/x/hold") else {
            Issue.record("expected 405"); return
        }
        #expect(allow == ["POST"])
        guard case .methodNotAllowed(let allowGet) = router().match(method: "POST", path: "/") else {
            Issue.record("expected 405"); return
        }
        #expect(allowGet == ["GET", "HEAD"])
    }

    @Test func headFallsBackToGet() {
        #expect(found(router().match(method: "HEAD", path: "/b/demo"))?.0 == "business")
        #expect(found(router().match(method: "HEAD", path: "/"))?.0 == "home")
    }

    @Test func oddMethodsAndUnknownPathsAreNotFound() {
        if case .notFound = router().match(method: "BREW", path: "/nothing") {} else { Issue.record("expected 404") }
        if case .methodNotAllowed = router().match(method: "BREW", path: "/") {} else { Issue.record("expected 405") }
        if case .notFound = router().match(method: "GET", path: "/b//x") {} else { Issue.record("empty segment must not match") }
    }

    @Test func printsPathsWithEncodedParameters() {
        #expect(Router<String>.path("/b/:business/:offer", ["business": "demo", "offer": "a b"]) == "/b/demo/a%20b")
        #expect(Router<String>.path("/bookings/:id.ics", ["id": "7"]) == "/bookings/7.ics")
        #expect(Router<String>.path("/manage/:business/", ["business": "demo"]) == "/manage/demo/")
    }
}
