import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/api-keys`: list keys (prefix, role, created, last used, revoked), create one
/// (shown once, only its hash stored) and revoke. Needs `api_key:manage`; forms carry CSRF; the
/// store audits creation and revocation.
struct APIKeyPages: Sendable {
    struct KeyRow: Sendable {
        let id: APIKeyID
        let name: String
        let prefix: String
        let role: String
        let created: String
        let lastUsed: String
        let revoked: String?
        let active: Bool
        /// "100 a second, bursts of 100 (default)".
        let limit: String
        let ratePerSecond: String
        let burst: String
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let keys: [KeyRow]
        let hasKeys: Bool
        let roles: [Option]
        var name = ""
        var createdKey: String?
        var message: String?
        var errors = FormErrors()
    }

    /// Roles a member may give a key (`Role.canGrant`: the same rule as for team members).
    static func grantable(by role: Role) -> [(String, String)] { role.grantableChoices }

    /// The largest rate or burst a key may be given.
    static let maximumRate = 10_000

    private func page(_ context: RequestContext, selectedRole: String = "staff") throws -> Page {
        let (business, membership, nav) = try context.managedBusiness()
        let keys = try context.app.database.apiKeys(businessID: business.id)
        let standard = context.app.rateLimiter.defaultLimit
        let rows = keys.map { key in
            let own = key.ratePerSecond.flatMap { rate in key.burst.map { (rate, $0) } }
            let limit = own.map { "\($0.0) a second, bursts of \($0.1)" }
                ?? "\(Int(standard.rate)) a second, bursts of \(Int(standard.burst)) (default)"
            return KeyRow(id: key.id, name: key.name, prefix: key.prefix + "…", role: key.role.rawValue, created: RFC3339.format(key.createdAt),
                          lastUsed: key.lastUsedAt.map(RFC3339.format) ?? "never", revoked: key.revokedAt.map(RFC3339.format),
                          active: key.revokedAt == nil, limit: limit, ratePerSecond: own.map { String($0.0) } ?? "",
                          burst: own.map { String($0.1) } ?? "")
        }
        return Page(layout: try context.layout(title: "API keys — \(business.name)", withForm: true), nav: nav, keys: rows,
                    hasKeys: !rows.isEmpty, roles: Option.list(Self.grantable(by: membership.role), selected: selectedRole))
    }

    func show(_ context: RequestContext) throws -> Response {
        context.app.page("api/keys", try page(context))
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, membership, _) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 80 { errors.add("name", "Give the key a name of 1 to 80 characters, like “Patient app”.") }
        let role = Role(rawValue: form["role"] ?? "")
        if role == nil || !Self.grantable(by: membership.role).contains(where: { $0.0 == role?.rawValue }) {
            errors.add("role", "Choose a role you may give.")
        }
        guard errors.isEmpty, let role else {
            var page = try page(context, selectedRole: form["role"] ?? "staff")
            page.name = String(name.prefix(80))
            page.errors = errors
            return context.app.page("api/keys", page, status: .unprocessable)
        }
        let actor = Actor(try context.auditActor())
        let created = try context.app.database.createAPIKey(businessID: business.id, name: name, role: role, now: context.instant,
                                                            actor: actor)
        var page = try page(context)
        page.createdKey = created.key
        page.message = "Key “\(name)” created. Copy it now: it is shown only this once."
        var response = context.app.page("api/keys", page, status: .created)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// Sets a key's own rate limit; both fields empty returns it to the server's default.
    func setLimit(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        guard let id = APIKeyID(try context.parameter("key")) else { throw WebError.notFound() }
        let form = try context.form()
        let rateText = (form["rate"] ?? "").trimmingCharacters(in: .whitespaces)
        let burstText = (form["burst"] ?? "").trimmingCharacters(in: .whitespaces)
        var errors = FormErrors()
        var limit: (perSecond: Int, burst: Int)?
        if !(rateText.isEmpty && burstText.isEmpty) {
            let range = 1...Self.maximumRate
            let rate = Int(rateText).flatMap { range.contains($0) ? $0 : nil }
            let burst = Int(burstText).flatMap { range.contains($0) ? $0 : nil }
            if rate == nil { errors.add("rate-\(id)", "Give the requests a second as a whole number from 1 to \(Self.maximumRate), or leave both fields empty for the default.") }
            if burst == nil { errors.add("burst-\(id)", "Give the burst as a whole number from 1 to \(Self.maximumRate), or leave both fields empty for the default.") }
            if let rate, let burst { limit = (rate, burst) }
        }
        guard errors.isEmpty else {
            var page = try page(context)
            page.errors = errors
            return context.app.page("api/keys", page, status: .unprocessable)
        }
        let actor = Actor(try context.auditActor())
        do {
            try context.app.database.setAPIKeyRateLimit(businessID: business.id, keyID: id, rate: limit, now: context.instant,
                                                        actor: actor)
        } catch is CatalogError {
            throw WebError.notFound("That key does not exist or is revoked.")
        }
        return .redirect(to: nav.base + "/api-keys")
    }

    func revoke(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        guard let id = APIKeyID(try context.parameter("key")) else { throw WebError.notFound() }
        let actor = Actor(try context.auditActor())
        do {
            try context.app.database.revokeAPIKey(businessID: business.id, keyID: id, now: context.instant, actor: actor)
        } catch is CatalogError {
            throw WebError.notFound("That key does not exist or is already revoked.")
        }
        return .redirect(to: nav.base + "/api-keys")
    }
}

extension App {
    static func addAPIKeyPageRoutes(to table: inout RouteTable) {
        let pages = APIKeyPages()
        table.add("GET", "/manage/:business/api-keys", requires: .permission(.apiKeyManage), pages.show)
        table.add("POST", "/manage/:business/api-keys", requires: .permission(.apiKeyManage), pages.create)
        table.add("POST", "/manage/:business/api-keys/:key/revoke", requires: .permission(.apiKeyManage), pages.revoke)
        table.add("POST", "/manage/:business/api-keys/:key/limit", requires: .permission(.apiKeyManage), pages.setLimit)
    }
}
