import BookingCore
import Foundation
import HTTPServer
import Store
import Synchronization

/// The home page, the health check and static files.
extension App {
    static func addSiteRoutes(to table: inout RouteTable) {
        table.add("GET", "/") { context in
            context.app.page("home", HomePage(layout: try context.layout(title: "Bizing — booking that is always right")))
        }
        table.add("GET", "/healthz") { context in
            let healthy = context.app.health.isHealthy(database: context.app.database, now: context.instant)
            return .json(healthy ? HealthCheck.okBody : HealthCheck.unavailableBody, status: healthy ? .ok : .serviceUnavailable)
        }
        table.add("GET", "/public/*path") { context in
            guard let response = context.app.staticFiles.response(for: try context.parameter("path"), request: context.request)
            else { throw WebError.notFound() }
            return response
        }
    }
}

/// `/healthz` asks the database at most once a second: load balancers poll it often, and the
/// answer of the last second is as good as a new one.
final class HealthCheck: Sendable {
    static let okBody = Array(#"{"database":"ok","status":"ok"}"#.utf8)
    static let unavailableBody = Array(#"{"database":"unavailable","status":"unavailable"}"#.utf8)

    /// (checked at, in whole seconds; healthy)
    private let last = Mutex<(Int64, Bool)>((Int64.min, false))

    func isHealthy(database: AppDatabase, now second: Instant) -> Bool {
        if let cached = last.withLock({ $0.0 == second ? $0.1 : nil }) { return cached }
        let healthy = database.isHealthy()
        last.withLock { $0 = (second, healthy) }
        return healthy
    }
}

struct HomePage: Sendable {
    let layout: Layout
}
