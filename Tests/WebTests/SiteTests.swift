import Foundation
import HTTPServer
import Logging
import Mustache
import Testing
import TestSupport
@testable import Web

struct SiteTests {
    @Test func homeExplainsBizingAndLinksOnward() throws {
        let response = try TestApp().get("/")
        #expect(response.status == .ok)
        #expect(response.isHTML)
        #expect(response.text.contains("<h1"))
        #expect(response.text.contains(#"href="/b/demo""#))
        #expect(response.text.contains(#"href="/signup""#))
        #expect(response.text.contains(#"href="/login""#))
        #expect(response.text.contains(#"<html lang="en">"#))
    }

    @Test func healthzReportsTheDatabase() throws {
        let response = try TestApp().get("/healthz")
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "application/json")
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(json?["status"] as? String == "ok")
    }

    @Test func unknownPageIsAnHTMLPageWithASentence() throws {
        let response = try TestApp().get("/no/such/page")
        #expect(response.status == .notFound)
        #expect(response.isHTML)
        #expect(response.text.contains("We could not find that page"))
        #expect(!response.text.contains("Error:"))
    }

    @Test func unknownAPIPathIsTheJSONErrorShape() throws {
        let response = try TestApp().get("/api/v1/nothing")
        #expect(response.status == .notFound)
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let error = json?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "not_found")
        #expect((error?["message"] as? String)?.isEmpty == false)
    }

    @Test func wrongMethodIs405WithAllowHeader() throws {
        let response = try TestApp().post("/healthz", form: [])
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD")
        #expect(response.text.contains("does not accept"))
    }

    @Test func serverErrorsRenderTheTemplatedPages() throws {
        let test = try TestApp()
        for status in [HTTPStatus.badRequest, .contentTooLarge, .internalServerError] {
            let response = test.app.errorResponse(status, for: Request(method: "GET", path: "/x"))
            #expect(response.status == status)
            #expect(response.isHTML)
            #expect(response.text.contains("<h1"))
        }
        let api = test.app.errorResponse(.contentTooLarge, for: Request(method: "POST", path: "/api/v1/bookings"))
        #expect(api.headers["Content-Type"] == "application/json")
        #expect(api.text.contains("body_too_large"))
    }

    @Test func stylesheetIsServedFromPublic() throws {
        let response = try TestApp().get("/public/site.css")
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(response.text.contains(":focus-visible"))
    }

    @Test func realServerServesHomeAndRefusesBigBodies() throws {
        let test = try TestApp()
        var configuration = ServerConfiguration()
        configuration.port = 0
        var logger = Logger(label: "t")
        logger.logLevel = .critical
        let server = try Server(configuration: configuration, application: test.app, logger: logger)
        defer { server.stop(grace: .seconds(1)) }
        let client = RawHTTPClient(port: server.port)
        let home = try client.request("GET", "/")
        #expect(home.status == 200)
        #expect(home.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        let big = try client.request("POST", "/", body: [UInt8](repeating: 1, count: 2 << 20))
        #expect(big.status == 413)
        #expect(big.text.contains("1 MiB"))
        #expect(try client.request("GET", "/healthz").status == 200)
        let badAPI = try client.request("GET", "/api/v1/offers?x=%FF")
        #expect(badAPI.status == 400)
        #expect(badAPI.header("Content-Type") == "application/json")
        let badPage = try client.request("GET", "/b/demo?x=%FF")
        #expect(badPage.status == 400)
        #expect(badPage.header("Content-Type")?.hasPrefix("text/html") == true)
    }
}

/// Templates see a model's stored fields through `TemplateModel`, and a type that answers Mustache
/// itself keeps its own answers.
struct TemplateModelTests {
    struct Row { let name: String; let note: String?; let tags: [String] }
    struct Page { let title: String; let rows: [Row]; let custom: Custom }
    struct Custom: MustacheParent {
        func child(named name: String) -> Any? { name == "answer" ? "forty-two" : nil }
    }

    @Test func readsStoredFieldsNestedStructsArraysAndOptionals() throws {
        let page = Page(title: "T", rows: [Row(name: "a", note: nil, tags: ["x", "y"]), Row(name: "b", note: "n", tags: [])],
                        custom: Custom())
        let model = try #require(TemplateModel.wrap(page) as? TemplateModel)
        #expect(model.child(named: "title") as? String == "T")
        #expect(model.child(named: "missing") == nil)
        let rows = try #require(model.child(named: "rows") as? [Any])
        #expect(rows.count == 2)
        let first = try #require(rows[0] as? TemplateModel)
        #expect(first.child(named: "name") as? String == "a")
        #expect(first.child(named: "note") == nil)
        #expect((first.child(named: "tags") as? [Any])?.compactMap { $0 as? String } == ["x", "y"])
        #expect((rows[1] as? TemplateModel)?.child(named: "note") as? String == "n")
        #expect((model.child(named: "custom") as? Custom)?.child(named: "answer") as? String == "forty-two")
    }
}
