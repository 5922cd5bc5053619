import BookingCore
import Foundation
import HTTPServer
import Store

/// The team: invite by link (shown, since mail comes later), change roles and the host a provider is
/// linked to, remove members. Only owners grant or take away ownership; the last owner stays.
struct MemberHandlers: Sendable {
    struct MemberRow: Sendable {
        let userID: UserID
        let name: String
        let email: String
        let role: String
        let roles: [Option]
        let hosts: [Option]
        let isSelf: Bool
        /// Where the member works (none when the business has no locations).
        var locations: [Option] = []
        var hasLocations = false
    }

    struct InvitationRow: Sendable {
        let id: InvitationID
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
    }

    static let roleLabels: [(String, String)] = Role.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }

    /// The roles `actor` may hand out (`Role.canGrant`: never more than their own).
    static func grantable(by actor: Role) -> [(String, String)] { actor.grantableChoices }

    /// The team page from `team` (read now when not given), as the member `membership` sees it.
    private func page(_ context: RequestContext, _ business: Business, _ membership: Membership, _ nav: ManageNav,
                      _ team: AppDatabase.TeamPage? = nil, link: String? = nil, message: String? = nil) throws -> Page {
        let team = try team ?? context.app.database.teamPage(businessID: business.id, now: context.instant)
        let hostChoices = [("", "No linked host")] + team.hosts.map { (String($0.id), $0.name) }
        let locationChoices = [("", "Every location")] + team.locations.map { (String($0.id), $0.name) }
        let grantable = Self.grantable(by: membership.role)
        let members = team.members.map { m in
            MemberRow(userID: m.userID, name: m.name, email: m.email, role: m.role.rawValue,
                      roles: Option.list(m.role == .owner && membership.role != .owner ? Self.roleLabels : grantable, selected: m.role.rawValue),
                      hosts: Option.list(hostChoices, selected: team.hostLinks[m.userID].map(String.init) ?? ""),
                      isSelf: m.userID == membership.userID,
                      locations: Option.list(locationChoices, selected: team.locationLinks[m.userID].map(String.init) ?? ""),
                      hasLocations: !team.locations.isEmpty)
        }
        return Page(layout: try context.layout(title: "Team — \(business.name)", withForm: true), nav: nav, members: members,
                    invitations: team.invitations.map { InvitationRow(id: $0.id, email: $0.email, role: $0.role.rawValue,
                                                             expires: RFC3339.format($0.expiresAt)) },
                    link: link, roles: Option.list(grantable, selected: "staff"), hosts: Option.list(hostChoices, selected: ""),
                    message: message)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        return context.app.page("manage/members", try page(context, business, membership, nav))
    }

    static let unknownHost = "Choose one of this business's hosts."

    /// The host to link: `.some(nil)` for none, nil (with an error) when it is not one of `team`'s hosts.
    private func host(_ text: String?, in team: AppDatabase.TeamPage, _ errors: inout FormErrors, field: String) -> ResourceID?? {
        let value = ManageInput.trimmed(text)
        if value.isEmpty { return .some(nil) }
        guard let id = ResourceID(value), team.isHost(id) else {
            errors.add(field, Self.unknownHost)
            return nil
        }
        return .some(id)
    }

    func invite(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let team = try context.app.database.teamPage(businessID: business.id, now: context.instant)
        let form = try context.form()
        var errors = FormErrors()
        let email = Validation.normalizedEmail(form["email"] ?? "")
        if email == nil { errors.add("email", "Enter an email address like name@example.com.") }
        let role = Role(rawValue: form["role"] ?? "")
        if role == nil || !Self.grantable(by: membership.role).contains(where: { $0.0 == role?.rawValue }) {
            errors.add("role", "Choose a role you may give.")
        }
        let resource = host(form["resource"], in: team, &errors, field: "resource")
        var shown: AppDatabase.TeamPage? = team
        if errors.isEmpty, let email, let role, let resource {
            // The host is checked again inside the write.
            switch try context.app.database.invite(businessID: business.id, email: email, role: role, resourceID: resource,
                                                   createdBy: membership.userID, now: context.instant) {
            case .created(let token):
                return context.app.page("manage/members", try page(context, business, membership, nav, link: "/invitations/\(token)",
                                                                   message: "Invitation created for \(email). Send them this link:"))
            case .unknownHost:
                errors.add("resource", Self.unknownHost)
                shown = nil   // the host went meanwhile: show the team as it is now
            }
        }
        var page = try page(context, business, membership, nav, shown)
        page.email = String((form["email"] ?? "").prefix(254))
        page.errors = errors
        return context.app.page("manage/members", page, status: .unprocessable)
    }

    /// The route's member among `members`; 404 when not one of them.
    private func member(_ context: RequestContext, in members: [TeamMember]) throws -> TeamMember {
        guard let id = UserID(try context.parameter("user")), let member = members.first(where: { $0.userID == id }) else {
            throw WebError.notFound()
        }
        return member
    }

    func changeRole(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let team = try context.app.database.teamPage(businessID: business.id, now: context.instant)
        let target = try member(context, in: team.members)
        let form = try context.form()
        var errors = FormErrors()
        let role = Role(rawValue: form["role"] ?? "")
        let allowed = Self.grantable(by: membership.role).contains { $0.0 == role?.rawValue }
        if role == nil || !allowed || (target.role == .owner && membership.role != .owner) {
            errors.add("role-\(target.userID)", "Only an owner can give or take away ownership.")
        }
        let resource = host(form["resource"], in: team, &errors, field: "role-\(target.userID)")
        // Limited to one location (`LocationScope`), or every location when left empty.
        let place = ManageInput.trimmed(form["location"])
        let location = LocationID(place).flatMap { id in team.locations.contains { $0.id == id } ? id : nil }
        if !place.isEmpty && location == nil { errors.add("role-\(target.userID)", "Choose a location from the list.") }
        if errors.isEmpty, let role, let resource {
            do {
                try context.app.database.setMembership(businessID: business.id, userID: target.userID, role: role, locationID: location,
                                                       resourceID: resource,
                                                       actor: try context.auditActor(), now: context.instant)
                return .redirect(to: nav.base + "/members")
            } catch AccountStoreError.lastOwner {
                errors.add("role-\(target.userID)", "A business needs at least one owner. Make someone else owner first.")
            }
        }
        var page = try page(context, business, membership, nav, team)
        page.errors = errors
        return context.app.page("manage/members", page, status: .unprocessable)
    }

    func remove(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let target = try member(context, in: try context.app.database.team(businessID: business.id))
        var errors = FormErrors()
        if target.role == .owner && membership.role != .owner {
            errors.add("role-\(target.userID)", "Only an owner can remove an owner.")
        } else {
            do {
                try context.app.database.removeMembership(businessID: business.id, userID: target.userID,
                                                          actor: try context.auditActor(), now: context.instant)
                return .redirect(to: nav.base + "/members")
            } catch AccountStoreError.lastOwner {
                errors.add("role-\(target.userID)", "The last owner cannot be removed. Make someone else owner first.")
            }
        }
        var page = try page(context, business, membership, nav)
        page.errors = errors
        return context.app.page("manage/members", page, status: .unprocessable)
    }

    func revoke(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        guard let id = InvitationID(try context.parameter("invitation")) else { throw WebError.notFound() }
        guard try context.app.database.revokeInvitation(businessID: business.id, id: id, actor: try context.auditActor(),
                                                        now: context.instant) else {
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
        guard let found = try context.app.database.invitation(token: token, now: context.instant) else {
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
            let found = try context.app.database.acceptInvitation(token: token, userID: user.id, userEmail: user.email,
                                                                  now: context.instant)
            let role = found.role
            return .redirect(to: role.can(.serviceTemplateManage) ? "/manage/\(PercentDecoding.encode(found.businessSlug))/" : "/account")
        } catch Invitations.Failure.notUsable {
            throw WebError.unprocessable("invitation_unusable", "This invitation has expired, was revoked or was already used. Ask for a new one.")
        } catch Invitations.Failure.wrongAccount(let email) {
            throw WebError.forbidden("This invitation is for \(email). Log in with that account to accept it.")
        }
    }
}
