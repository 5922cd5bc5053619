import BookingCore
import Foundation
import GRDB
import HTTPServer
import Store

/// The team: invite by link (shown, since mail comes later), change roles and the host a provider is
/// linked to, remove members. Only owners grant or take away ownership; the last owner stays.
struct MemberHandlers: Sendable {
    struct MemberRow: Sendable {
        let userID: Int64
        let name: String
        let email: String
        let role: String
        let roles: [Option]
        let hosts: [Option]
        let isSelf: Bool
    }

    struct InvitationRow: Sendable {
        let id: Int64
        let email: String
        let role: String
        let expires: String
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let members: [MemberRow]
        let invitations: [InvitationRow]
        var link: String?
        var email = ""
        var roles: [Option]
        var hosts: [Option]
        var message: String?
        var errors = FormErrors()
        var err: [String: String] = [:]
    }

    static let roleLabels: [(String, String)] = Role.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }

    /// The roles `actor` may hand out: owners any, others every role but owner.
    static func grantable(by actor: Role) -> [(String, String)] {
        roleLabels.filter { actor == .owner || $0.0 != Role.owner.rawValue }
    }

    private func page(_ context: RequestContext, link: String? = nil, message: String? = nil) throws -> Page {
        let (business, membership, nav) = try context.managedBusiness()
        let (team, hosts, pending, links) = try context.app.database.pool.read { db in
            (try context.app.database.teamRows(db, businessID: business.id),
             try Catalog.resources(db, businessID: business.id).filter { $0.kind == .host },
             try Invitations.pending(db, businessID: business.id, now: context.nowSeconds),
             try Dictionary(Row.fetchAll(db, sql: "SELECT user_id, resource_id FROM memberships WHERE business_id = ?",
                                         arguments: [business.id]).map { ($0["user_id"] as Int64, $0["resource_id"] as Int64?) },
                            uniquingKeysWith: { a, _ in a }))
        }
        let hostChoices = [("", "No linked host")] + hosts.map { (String($0.id), $0.name) }
        let grantable = Self.grantable(by: membership.role)
        let members = team.map { m in
            MemberRow(userID: m.userID, name: m.name, email: m.email, role: m.role.rawValue,
                      roles: Option.list(m.role == .owner && membership.role != .owner ? Self.roleLabels : grantable, selected: m.role.rawValue),
                      hosts: Option.list(hostChoices, selected: (links[m.userID] ?? nil).map(String.init) ?? ""),
                      isSelf: m.userID == membership.userID)
        }
        return Page(layout: try context.layout(title: "Team — \(business.name)", withForm: true), nav: nav, members: members,
                    invitations: pending.map { InvitationRow(id: $0.id, email: $0.email, role: $0.role.rawValue,
                                                             expires: RFC3339.format($0.expiresAt)) },
                    link: link, roles: Option.list(grantable, selected: "staff"), hosts: Option.list(hostChoices, selected: ""),
                    message: message)
    }

    func show(_ context: RequestContext) throws -> Response {
        context.app.page("manage/members", try page(context))
    }

    private func host(_ text: String?, businessID: Int64, _ context: RequestContext, _ errors: inout FormErrors, field: String) throws -> Int64?? {
        let value = ManageInput.trimmed(text)
        if value.isEmpty { return .some(nil) }
        guard let id = Int64(value), try context.app.database.pool.read({ db in
            try Catalog.resources(db, businessID: businessID).contains { $0.id == id && $0.kind == .host }
        }) else {
            errors.add(field, "Choose one of this business's hosts.")
            return nil
        }
        return .some(id)
    }

    func invite(_ context: RequestContext) throws -> Response {
        let (business, membership, _) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let email = Validation.normalizedEmail(form["email"] ?? "")
        if email == nil { errors.add("email", "Enter an email address like name@example.com.") }
        let role = Role(rawValue: form["role"] ?? "")
        if role == nil || !Self.grantable(by: membership.role).contains(where: { $0.0 == role?.rawValue }) {
            errors.add("role", "Choose a role you may give.")
        }
        let resource = try host(form["resource"], businessID: business.id, context, &errors, field: "resource")
        if errors.isEmpty, let email, let role, let resource {
            let now = context.nowSeconds
            let token = try context.app.database.write { db in
                try Invitations.create(db, businessID: business.id, email: email, role: role, resourceID: resource,
                                       createdBy: membership.userID, now: now)
            }
            return context.app.page("manage/members", try page(context, link: "/invitations/\(token)",
                                                               message: "Invitation created for \(email). Send them this link:"))
        }
        var page = try page(context)
        page.email = String((form["email"] ?? "").prefix(254))
        page.errors = errors
        page.err = RequestContext.messages(errors)
        return context.app.page("manage/members", page, status: .unprocessable)
    }

    private func member(_ context: RequestContext, businessID: Int64) throws -> TeamMember {
        guard let id = Int64(try context.parameter("user")),
              let member = try context.app.database.team(businessID: businessID).first(where: { $0.userID == id }) else {
            throw WebError.notFound()
        }
        return member
    }

    func changeRole(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let target = try member(context, businessID: business.id)
        let form = try context.form()
        var errors = FormErrors()
        let role = Role(rawValue: form["role"] ?? "")
        let allowed = Self.grantable(by: membership.role).contains { $0.0 == role?.rawValue }
        if role == nil || !allowed || (target.role == .owner && membership.role != .owner) {
            errors.add("role-\(target.userID)", "Only an owner can give or take away ownership.")
        }
        let resource = try host(form["resource"], businessID: business.id, context, &errors, field: "role-\(target.userID)")
        if errors.isEmpty, let role, let resource {
            do {
                try context.app.database.setMembership(businessID: business.id, userID: target.userID, role: role, resourceID: resource,
                                                       actor: try context.auditActor(), now: context.nowSeconds)
                return .redirect(to: nav.base + "/members")
            } catch AccountStoreError.lastOwner {
                errors.add("role-\(target.userID)", "A business needs at least one owner. Make someone else owner first.")
            }
        }
        var page = try page(context)
        page.errors = errors
        page.err = RequestContext.messages(errors)
        return context.app.page("manage/members", page, status: .unprocessable)
    }

    func remove(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let target = try member(context, businessID: business.id)
        var errors = FormErrors()
        if target.role == .owner && membership.role != .owner {
            errors.add("role-\(target.userID)", "Only an owner can remove an owner.")
        } else {
            do {
                try context.app.database.removeMembership(businessID: business.id, userID: target.userID,
                                                          actor: try context.auditActor(), now: context.nowSeconds)
                return .redirect(to: nav.base + "/members")
            } catch AccountStoreError.lastOwner {
                errors.add("role-\(target.userID)", "The last owner cannot be removed. Make someone else owner first.")
            }
        }
        var page = try page(context)
        page.errors = errors
        page.err = RequestContext.messages(errors)
        return context.app.page("manage/members", page, status: .unprocessable)
    }

    func revoke(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        guard let id = Int64(try context.parameter("invitation")) else { throw WebError.notFound() }
        let actor = try context.auditActor()
        do {
            try context.app.database.write { db in
                try Invitations.revoke(db, businessID: business.id, id: id, actor: actor, now: context.nowSeconds)
            }
        } catch CatalogError.notFound {
            throw WebError.notFound()
        }
        return .redirect(to: nav.base + "/members")
    }

    // MARK: The invitee

    struct AcceptPage: Sendable {
        let layout: Layout
        let businessName: String
        let role: String
        let email: String
        let action: String
        let usable: Bool
        let wrongAccount: Bool
    }

    func showInvitation(_ context: RequestContext) throws -> Response {
        let token = try context.parameter("token")
        guard let found = try context.app.database.pool.read({ db in try Invitations.find(db, token: token, now: context.nowSeconds) }) else {
            throw WebError.notFound("This invitation link is not valid. Ask for a new one.")
        }
        guard let user = try context.currentUser() else {
            return .redirect(to: "/signup?" + FormData(pairs: [("next", "/invitations/\(token)")]).encoded)
        }
        let page = AcceptPage(layout: try context.layout(title: "Join \(found.businessName) — Bizing", withForm: true),
                              businessName: found.businessName, role: found.role.rawValue, email: found.email,
                              action: "/invitations/\(token)/accept", usable: found.usable,
                              wrongAccount: found.email != user.email.lowercased())
        return context.app.page("manage/invitation", page)
    }

    func accept(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let token = try context.parameter("token")
        do {
            let found = try context.app.database.write { db in
                try Invitations.accept(db, token: token, userID: user.id, userEmail: user.email, now: context.nowSeconds)
            }
            let role = found.role
            return .redirect(to: role.can(.serviceTemplateManage) ? "/manage/\(PercentDecoding.encode(found.businessSlug))/" : "/account")
        } catch Invitations.Failure.notUsable {
            throw WebError.unprocessable("invitation_unusable", "This invitation has expired, was revoked or was already used. Ask for a new one.")
        } catch Invitations.Failure.wrongAccount(let email) {
            throw WebError.forbidden("This invitation is for \(email). Log in with that account to accept it.")
        }
    }
}
