import Foundation
import HTTPServer

/// The home page, the health check and static files.
extension App {
    static func addSiteRoutes(to table: inout RouteTable) {
        table.add("GET", "/") { context in
            context.app.page("home", HomePage(layout: Layout(title: "Bizing — booking that is always right")))
        }
        table.add("GET", "/healthz") { context in
            let healthy = context.app.database.isHealthy()
            return JSON.response(Health(status: healthy ? "ok" : "unavailable", database: healthy ? "ok" : "unavailable"),
                                 status: healthy ? .ok : .serviceUnavailable)
        }
        table.add("GET", "/public/*path") { context in
            guard let response = context.app.staticFiles.response(for: try context.parameter("path"), request: context.request)
            else { throw WebError.notFound() }
            return response
        }
    }
}

struct Health: Encodable {
    let status: String
    let database: String
}

struct HomePage: Sendable {
    let layout: Layout
}
