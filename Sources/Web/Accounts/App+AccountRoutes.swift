import BookingCore
import HTTPServer

extension App {
    /// Sign-up, log-in, log-out, the account page and the business team page.
    static func addAccountRoutes(to table: inout RouteTable) {
        let auth = AuthHandlers()
        table.add("GET", "/signup", auth.signupForm)
        table.add("POST", "/signup", auth.signup)
        table.add("GET", "/login", auth.loginForm)
        table.add("POST", "/login", auth.login)
        table.add("POST", "/logout", auth.logout)

        let account = AccountHandlers()
        table.add("GET", "/account", requires: .signedIn, account.show)
        table.add("POST", "/account/name", requires: .signedIn, account.changeName)
        table.add("POST", "/account/password", requires: .signedIn, account.changePassword)
        table.add("POST", "/account/sessions/:session/end", requires: .signedIn, account.endSession)
        table.add("POST", "/account/household", requires: .signedIn, account.addHouseholdMember)
        table.add("POST", "/account/household/:member/remove", requires: .signedIn, account.removeHouseholdMember)

        table.add("GET", "/manage/:business/team", requires: .permission(.userManage), TeamHandlers().show)
    }
}
