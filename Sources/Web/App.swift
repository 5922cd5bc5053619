import BookingCore
public import Foundation
public import HTTPServer
public import Logging
public import Outbound
public import Passwords
public import Store

/// Where the app finds its files: `Templates/`, `Public/`, `migrations/`.
public struct ResourcePaths: Sendable {
    public let root: String
    public var templates: String { root + "/Templates" }
    public var publicFiles: String { root + "/Public" }
    public var migrations: String { root + "/migrations" }

    public init(root: String) { self.root = root }

    /// `BIZING_ROOT`, else the working directory when it holds `Templates/`, else the checkout the
    /// executable was built in (`.build/release/bizing` → two levels up).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> ResourcePaths {
        if let root = environment["BIZING_ROOT"], !root.isEmpty { return ResourcePaths(root: root) }
        let manager = FileManager.default
        let cwd = manager.currentDirectoryPath
        if manager.fileExists(atPath: cwd + "/Templates") { return ResourcePaths(root: cwd) }
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? cwd).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            if manager.fileExists(atPath: url.path + "/Templates") { return ResourcePaths(root: url.path) }
            url.deleteLastPathComponent()
        }
        return ResourcePaths(root: cwd)
    }
}

/// A handler with what it needs stated up front.
struct Route: Sendable {
    /// Checked in `App.respond` before `handle` runs (see `Requirement`).
    let requirement: Requirement
    /// The handler records its `Idempotency-Key` answer in its own transaction (bookings, webhook
    /// subscriptions); every other API POST is made idempotent around the handler (`App.idempotent`).
    var ownIdempotency = false
    let handle: @Sendable (RequestContext) throws -> Response
}

struct RouteTable {
    var router = Router<Route>()

    mutating func add(_ method: String, _ pattern: String, requires requirement: Requirement = .public, ownIdempotency: Bool = false,
                      _ handle: @escaping @Sendable (RequestContext) throws -> Response) {
        router.add(method, pattern, Route(requirement: requirement, ownIdempotency: ownIdempotency, handle: handle))
    }
}

/// The web application: routes, templates, static files and the database, shared by every
/// libmicrohttpd thread. Immutable after start-up.
public final class App: HTTPApplication {
    let database: AppDatabase
    let templates: Templates
    let staticFiles: StaticFiles
    let health = HealthCheck()
    /// The offer pages' lists of times, rendered once per distinct list (`RenderedSlotLists`).
    let slotLists = RenderedPages(limit: 2_000)
    /// Whole offer pages (~18 KB each) and staff calendars (~160 KB for a page of 25 resources, ~1 MB
    /// for all 250: at most 32 kept, with their models),
    /// rendered once per distinct page model (`RenderedPages`).
    let offerPages = RenderedPages(limit: 500)
    let calendarPages = RenderedPages(limit: 32)
    let logger: Logger
    let clock: @Sendable () -> Date
    let router: Router<Route>
    let security: Security
    /// Per-API-key token buckets (defaults from `BIZING_API_RATE` / `BIZING_API_BURST`).
    let rateLimiter: APIRateLimiter
    /// Stripe: the API base and the box that opens stored secrets.
    public let payments: PaymentService
    /// Where webhook URLs may point (private addresses only with `BIZING_WEBHOOKS_ALLOW_PRIVATE=1`).
    let webhookDestinations: DestinationPolicy
    /// The public origin written into links (`--base-url`), no trailing slash; nil: the request's.
    let baseURL: String?

    /// `passwords` sets the argon2 parameters (tests lower them); `trustForwardedProto` lets a TLS
    /// proxy's `X-Forwarded-Proto: https` mark session cookies `Secure`.
    public init(database: AppDatabase, paths: ResourcePaths, logger: Logger,
                clock: @escaping @Sendable () -> Date = { Date() }, passwords: Passwords = Passwords(),
                trustForwardedProto: Bool = false, apiRateLimit: APIRateLimit = .standard,
                webhookDestinations: DestinationPolicy = DestinationPolicy(), baseURL: String? = nil,
                payments: PaymentSettings = PaymentSettings()) throws {
        self.webhookDestinations = webhookDestinations
        var base = baseURL ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base.isEmpty ? nil : base
        self.database = database
        self.payments = PaymentService(database: database, settings: payments)
        self.templates = try Templates(directory: paths.templates)
        self.staticFiles = try StaticFiles(directory: paths.publicFiles)
        self.logger = logger
        self.clock = clock
        self.router = Self.routeTable().router
        self.rateLimiter = APIRateLimiter(defaultLimit: apiRateLimit)
        self.security = try Security(database: database, passwords: passwords, trustForwardedProto: trustForwardedProto)
    }

    /// The route table; each feature adds its own routes in its own file.
    static func routeTable() -> RouteTable {
        var table = RouteTable()
        addSiteRoutes(to: &table)
        addBookingAPIRoutes(to: &table)
        addAPIRoutes(to: &table)
        addAccountRoutes(to: &table)
        addBookingPageRoutes(to: &table)
        addStaffRoutes(to: &table)
        addQueuePageRoutes(to: &table)
        addStaffQueueRoutes(to: &table)
        addQueueReportRoutes(to: &table)
        addQueueAPIRoutes(to: &table)
        addManageRoutes(to: &table)
        addMailRoutes(to: &table)
        addBookingRulesRoutes(to: &table)
        addPaymentRoutes(to: &table)
        addWebhookRoutes(to: &table)
        addCalendarFeedRoutes(to: &table)
        addLifecycleRoutes(to: &table)
        addProgramRoutes(to: &table)
        addExplainRoutes(to: &table)
        CustomerHandlers.addRoutes(to: &table)
        ExportHandlers.addRoutes(to: &table)
        addWalletRoutes(to: &table)
        addWalletAPIRoutes(to: &table)
        addMembershipAPIRoutes(to: &table)
        addPurchaseRoutes(to: &table)
        return table
    }

    /// Every (method, pattern) the app answers.
    public var routes: [(method: String, pattern: String)] { router.routes }

    public func respond(to request: Request) -> Response {
        var response = respond(to: request, router: router)
        if security.isSecure(request) { SecurityHeaders.applyTransportSecurity(to: &response) }
        return response
    }

    func respond(to request: Request, router: Router<Route>) -> Response {
        switch router.match(method: request.method, path: request.path) {
        case .found(let route, let parameters):
            var request = request
            request.parameters = parameters
            let context = RequestContext(request: request, app: self, now: clock())
            var response: Response
            do {
                response = try run(route, context)
            } catch {
                response = errorResponse(error, for: request)
            }
            if let state = context.auth.rateLimit {
                for (name, value) in APIRateLimiter.headers(state) { response.headers.set(name, value) }
            }
            return response
        case .methodNotAllowed(let allow):
            var response = errorResponse(.methodNotAllowed, for: request)
            response.headers.set("Allow", allow.joined(separator: ", "))
            return response
        case .notFound:
            return errorResponse(.notFound, for: request)
        }
    }

    /// The one mapping of what a handler throws to its answer: a `WebError` as it says, a domain
    /// failure as its status and sentence, anything else logged and answered 500 without details.
    func errorResponse(_ error: any Error, for request: Request) -> Response {
        switch error {
        case let error as WebError:
            return errorResponse(error, for: request)
        case let failure as BookingFailure:
            return errorResponse(failure.webError, for: request)
        case let failure as QueueFailure:
            return errorResponse(failure.webError, for: request)
        case let failure as MembershipFailure:
            return errorResponse(failure.webError, for: request)
        case let failure as WalletFailure:
            return errorResponse(failure.webError, for: request)
        case let error as ValidationError:
            return errorResponse(WebError.unprocessable("validation_failed", error.message, field: error.field), for: request)
        default:
            logger.error("handler failed: \(request.method) \(request.path): \(error)")
            return errorResponse(.internalServerError, for: request)
        }
    }

    public func errorResponse(_ status: HTTPStatus, for request: Request) -> Response {
        let standard = WebError.standardMessage(for: status)
        var response = errorResponse(WebError(status, code: standard.code, standard.message), for: request)
        if security.isSecure(request) { SecurityHeaders.applyTransportSecurity(to: &response) }
        return response
    }

    func errorResponse(_ error: WebError, for request: Request) -> Response {
        if request.path.hasPrefix("/api/") { return JSON.error(error) }
        let model = ErrorPage(layout: Layout(title: error.status.reason), status: error.status.code,
                              heading: error.status.reason, message: error.message)
        var response = Response.html(templates.render("errors/error", model), status: error.status)
        for (name, value) in error.headers { response.headers.add(name, value) }
        return response
    }

    func page(_ template: String, _ model: Any, status: HTTPStatus = .ok) -> Response {
        .html(templates.render(template, model), status: status)
    }
}

struct ErrorPage: Sendable {
    let layout: Layout
    let status: Int
    let heading: String
    let message: String
}
