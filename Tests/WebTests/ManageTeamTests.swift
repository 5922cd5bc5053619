import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

struct ManageTeamTests {
    static func link(in html: String) -> String? {
        guard let r = html.range(of: #"<code id="invite-link">"#) else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "<" })
    }

    @Test func anInvitationLinkAddsTheMemberWithTheRoleOnce() throws {
        let test = try TestApp()
        let (owner, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        try owner.get("/manage/\(slug)/members")

        let bad = try owner.post("/manage/\(slug)/members/invite", [("email", "not-an-email"), ("role", "staff"), ("resource", "")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("<a href=\"#email\">"))
        let badRole = try owner.post("/manage/\(slug)/members/invite", [("email", "x@example.test"), ("role", "emperor"), ("resource", "")])
        #expect(badRole.status == .unprocessable)
        #expect(badRole.text.contains("<a href=\"#role\">"))
        #expect(try SetupSupport.count(test, "invitations") == 0)

        let host = try #require(try test.database.pool.read { db in try Catalog.resources(db, businessID: business.id).first })
        let invited = try owner.post("/manage/\(slug)/members/invite", [("email", "Pat@Example.test"), ("role", "provider"),
                                                                       ("resource", String(host.id))])
        #expect(invited.status == .ok)
        let link = try #require(Self.link(in: invited.text))
        #expect(link.hasPrefix("/invitations/") && link.count == "/invitations/".count + 64)

        // The invitee signs up first, then accepts.
        let invitee = test.browser()
        let anonymous = try invitee.get(link)
        #expect(anonymous.status == .seeOther)
        #expect(anonymous.headers["Location"]?.hasPrefix("/signup?next=%2Finvitations%2F") == true)
        #expect(try invitee.signUp(name: "Pat", email: "pat@example.test", password: "correct horse battery").status == .seeOther)
        let page = try invitee.get(link)
        #expect(page.text.contains("as provider"))
        let accepted = try invitee.post(link + "/accept", [])
        #expect(accepted.status == .seeOther)
        let pat = try #require(try test.database.user(email: "pat@example.test"))
        let membership = try #require(try test.database.membership(userID: pat.id, businessSlug: slug))
        #expect(membership.role == .provider && membership.resourceID == host.id)
        // Used once only.
        #expect(try invitee.post(link + "/accept", []).status == .unprocessable)

        // Someone else with the link cannot use it.
        let other = try owner.post("/manage/\(slug)/members/invite", [("email", "sam@example.test"), ("role", "staff"), ("resource", "")])
        let otherLink = try #require(Self.link(in: other.text))
        let (stranger, _) = try test.member("stranger@example.test")
        try stranger.get(otherLink)
        #expect(try stranger.post(otherLink + "/accept", []).status == .forbidden)
        #expect(try test.database.membership(userID: try #require(try test.database.user(email: "stranger@example.test")).id,
                                             businessSlug: slug) == nil)

        try test.database.pool.read { db in
            let actions = try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE business_id = ?", arguments: [business.id])
            #expect(actions.filter { $0 == "invitation.create" }.count == 2)
            #expect(try AuditLog.verify(db, businessID: business.id) == .intact(entries: actions.count))
        }
    }

    @Test func aRevokedInvitationCannotBeAccepted() throws {
        let test = try TestApp()
        let (owner, _, slug) = try SetupSupport.owner(test)
        try owner.get("/manage/\(slug)/members")
        let invited = try owner.post("/manage/\(slug)/members/invite", [("email", "kim@example.test"), ("role", "staff"), ("resource", "")])
        let link = try #require(Self.link(in: invited.text))
        let id = try #require(try test.database.pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM invitations") })
        #expect(try owner.post("/manage/\(slug)/invitations/\(id)/revoke", []).status == .seeOther)
        let (kim, _) = try test.member("kim@example.test")
        try kim.get(link)
        #expect(try kim.post(link + "/accept", []).status == .unprocessable)
    }

    @Test func rolesChangeButTheLastOwnerStays() throws {
        let test = try TestApp()
        let (owner, me, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let (_, staff) = try test.member("staff@example.test", role: .staff, in: business.id)
        try owner.get("/manage/\(slug)/members")

        #expect(try owner.post("/manage/\(slug)/members/\(staff.id)/role", [("role", "manager"), ("resource", "")]).status == .seeOther)
        #expect(try test.database.membership(userID: staff.id, businessSlug: slug)?.role == .manager)

        let demoteSelf = try owner.post("/manage/\(slug)/members/\(me.id)/role", [("role", "admin"), ("resource", "")])
        #expect(demoteSelf.status == .unprocessable)
        #expect(demoteSelf.text.contains("at least one owner"))
        let removeSelf = try owner.post("/manage/\(slug)/members/\(me.id)/remove", [])
        #expect(removeSelf.status == .unprocessable)
        #expect(try test.database.membership(userID: me.id, businessSlug: slug)?.role == .owner)

        #expect(try owner.post("/manage/\(slug)/members/\(staff.id)/remove", []).status == .seeOther)
        #expect(try test.database.membership(userID: staff.id, businessSlug: slug) == nil)
    }

    @Test func adminsCannotGrantOwnershipAndManagersSeeNoTeamPage() throws {
        let test = try TestApp()
        let (_, me, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let (admin, adminUser) = try test.member("admin@example.test", role: .admin, in: business.id)
        try admin.get("/manage/\(slug)/members")
        let grant = try admin.post("/manage/\(slug)/members/\(adminUser.id)/role", [("role", "owner"), ("resource", "")])
        #expect(grant.status == .unprocessable)
        let demoteOwner = try admin.post("/manage/\(slug)/members/\(me.id)/role", [("role", "staff"), ("resource", "")])
        #expect(demoteOwner.status == .unprocessable)
        #expect(try admin.post("/manage/\(slug)/members/\(me.id)/remove", []).status == .unprocessable)
        let inviteOwner = try admin.post("/manage/\(slug)/members/invite", [("email", "boss@example.test"), ("role", "owner"), ("resource", "")])
        #expect(inviteOwner.status == .unprocessable)
        #expect(try test.database.membership(userID: me.id, businessSlug: slug)?.role == .owner)
        #expect(try test.database.membership(userID: adminUser.id, businessSlug: slug)?.role == .admin)

        let (manager, _) = try test.member("manager@example.test", role: .manager, in: business.id)
        #expect(try manager.get("/manage/\(slug)/members").status == .notFound)
        try manager.get("/account")
        #expect(try manager.post("/manage/\(slug)/members/invite", [("email", "x@example.test"), ("role", "staff")]).status == .notFound)
    }
}
