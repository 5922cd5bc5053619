import BookingCore
import Foundation
import HTTPServer
@testable import Store
import Testing
@testable import Web

struct AccountsAccessTests {
    @Test func anonymousVisitorsAreSentToLogInWithTheirDestination() throws {
        let test = try TestApp()
        let response = try test.browser().get("/account?done=name")
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/login?next=%2Faccount%3Fdone%3Dname")
        try test.createBusiness(slug: "clinic")
        let business = try test.browser().get("/manage/clinic/team")
        #expect(business.headers["Location"] == "/login?next=%2Fmanage%2Fclinic%2Fteam")
    }

    /// Every role against every permission, through the real request path (route match, session,
    /// membership lookup, central check): a probe route per permission.
    @Test(arguments: Role.allCases)
    func eachRoleReachesExactlyWhatItsPermissionsAllow(_ role: Role) throws {
        let test = try TestApp()
        let businessID = try test.createBusiness(slug: "clinic")
        let (browser, _) = try test.member("\(role.rawValue)@example.com", role: role, in: businessID)
        var table = App.routeTable()
        for permission in Permission.allCases {
            table.add("GET", "/probe/:business/\(permission.rawValue)", requires: .permission(permission)) { context in
                .text("ok \(try context.requireMembership().role.rawValue)")
            }
        }
        for permission in Permission.allCases {
            let request = try Request(method: "GET", target: "/probe/clinic/\(permission.rawValue)",
                                      headers: Headers([("Cookie", "bizing_session=\(try #require(browser.cookie))")]))
            let response = test.app.respond(to: request, router: table.router)
            let expected: HTTPStatus = role.can(permission) ? .ok : .notFound
            #expect(response.status == expected, "\(role) \(permission)")
            if expected == .ok { #expect(response.text == "ok \(role.rawValue)") }
        }
    }

    @Test(arguments: Role.allCases)
    func theTeamPageNeedsUserManage(_ role: Role) throws {
        let test = try TestApp()
        let businessID = try test.createBusiness(slug: "clinic", name: "Clinic")
        let (browser, _) = try test.member("\(role.rawValue)@example.com", role: role, in: businessID)
        let response = try browser.get("/manage/clinic/team")
        #expect(response.status == (role.can(.userManage) ? .ok : .notFound))
        if role.can(.userManage) { #expect(response.text.contains("\(role.rawValue)@example.com")) }
    }

    @Test func anotherBusinessesPagesAnswerLikeOnesThatDoNotExist() throws {
        let test = try TestApp()
        let mine = try test.createBusiness(slug: "mine")
        try test.createBusiness(slug: "theirs")
        let (browser, _) = try test.member("owner@example.com", role: .owner, in: mine)
        #expect(try browser.get("/manage/mine/team").status == .ok)
        let theirs = try browser.get("/manage/theirs/team")
        let missing = try browser.get("/manage/nowhere/team")
        #expect(theirs.status == .notFound)
        #expect(missing.status == .notFound)
        #expect(AccountsLoginTests.withoutTokens(theirs.text) == AccountsLoginTests.withoutTokens(missing.text))
    }

    @Test func oneUserHoldsDifferentRolesInDifferentBusinessesAndTheHeaderSwitchesBetweenThem() throws {
        let test = try TestApp()
        let hospital = try test.createBusiness(slug: "hospital", name: "City Hospital")
        let clinic = try test.createBusiness(slug: "clinic", name: "Small Clinic")
        let (browser, user) = try test.member("doc@example.com", role: .provider, in: hospital)
        try test.database.setMembership(businessID: clinic, userID: user.id, role: .admin, actor: "system", now: test.nowSeconds)
        #expect(try browser.get("/manage/hospital/team").status == .notFound)
        #expect(try browser.get("/manage/clinic/team").status == .ok)
        let html = try browser.get("/account").text
        #expect(html.contains(#"<a href="/manage/hospital/">City Hospital</a>"#))
        #expect(html.contains(#"<a href="/manage/clinic/">Small Clinic</a>"#))
        let team = try browser.get("/manage/clinic/team").text
        #expect(team.contains(#"<a href="/manage/clinic/" aria-current="page">"#))
    }

    @Test func theHeaderLogOutFormCarriesAValidToken() throws {
        let test = try TestApp()
        let (browser, _) = try test.member("ada@example.com")
        let html = try browser.get("/account").text
        #expect(html.contains(#"action="/logout""#))
        #expect(try browser.post("/logout", []).status == .seeOther)
        #expect(try browser.get("/account").status == .seeOther)
    }

    @Test func requirementDecisionsAreTheTable() {
        for permission in Permission.allCases {
            #expect(Requirement.permission(permission).decide(signedIn: false, role: .owner) == .logIn)
            #expect(Requirement.permission(permission).decide(signedIn: true, role: nil) == .notFound)
            for role in Role.allCases {
                #expect(Requirement.permission(permission).decide(signedIn: true, role: role) == (role.can(permission) ? .allow : .notFound))
            }
        }
        #expect(Requirement.signedIn.decide(signedIn: false, role: nil) == .logIn)
        #expect(Requirement.public.decide(signedIn: false, role: nil) == .allow)
    }
}
