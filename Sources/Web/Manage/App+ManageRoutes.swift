import BookingCore
import HTTPServer

extension App {
    /// The quick setup and the business builder under `/manage/{business}/…` (issue 5).
    static func addManageRoutes(to table: inout RouteTable) {
        let setup = SetupHandlers()
        table.add("GET", "/setup", setup.show)
        table.add("POST", "/setup", setup.submit)

        let dashboard = DashboardHandlers()
        table.add("GET", "/manage/:business/", requires: .permission(.serviceTemplateManage), dashboard.show)
        table.add("GET", "/manage/:business", requires: .permission(.serviceTemplateManage), dashboard.redirect)

        let resources = ResourceHandlers()
        table.add("GET", "/manage/:business/resources", requires: .permission(.providerManageOrg), resources.list)
        table.add("POST", "/manage/:business/resources", requires: .permission(.providerManageOrg), resources.create)
        table.add("GET", "/manage/:business/resources/:resource", requires: .permission(.providerManageOrg), resources.show)
        table.add("POST", "/manage/:business/resources/:resource/details", requires: .permission(.providerManageOrg), resources.saveDetails)
        table.add("POST", "/manage/:business/resources/:resource/hours", requires: .permission(.providerManageOrg), resources.saveHours)
        table.add("POST", "/manage/:business/resources/:resource/overrides", requires: .permission(.providerManageOrg), resources.addOverride)
        table.add("POST", "/manage/:business/resources/:resource/blocks", requires: .permission(.providerManageOrg), resources.addBlock)
        table.add("POST", "/manage/:business/resources/:resource/calendar-import", requires: .permission(.providerManageOrg),
                  resources.saveCalendarImport)
        table.add("POST", "/manage/:business/resources/:resource/seasonal", requires: .permission(.providerManageOrg), resources.addSeasonal)
        table.add("POST", "/manage/:business/resources/:resource/:what/:id/remove", requires: .permission(.providerManageOrg), resources.removeItem)

        let offers = OfferHandlers()
        table.add("GET", "/manage/:business/offers", requires: .permission(.serviceTemplateManage), offers.list)
        table.add("POST", "/manage/:business/offers", requires: .permission(.serviceTemplateManage), offers.create)
        table.add("GET", "/manage/:business/offers/:offer", requires: .permission(.serviceTemplateManage), offers.show)
        table.add("POST", "/manage/:business/offers/:offer/details", requires: .permission(.serviceTemplateManage), offers.saveDetails)
        table.add("POST", "/manage/:business/offers/:offer/draft", requires: .permission(.serviceTemplateManage), offers.saveDraft)
        table.add("POST", "/manage/:business/offers/:offer/publish", requires: .permission(.serviceTemplateManage), offers.publish)
        table.add("POST", "/manage/:business/offers/:offer/questions", requires: .permission(.serviceTemplateManage), offers.addQuestion)
        table.add("POST", "/manage/:business/offers/:offer/questions/:key", requires: .permission(.serviceTemplateManage),
                  offers.editQuestion)
        table.add("POST", "/manage/:business/offers/:offer/questions/:key/remove", requires: .permission(.serviceTemplateManage),
                  offers.removeQuestion)
        table.add("POST", "/manage/:business/offers/:offer/status", requires: .permission(.serviceTemplateManage), offers.setStatus)
        let rental = RentalTermsHandlers()
        table.add("GET", "/manage/:business/offers/:offer/rental", requires: .permission(.serviceTemplateManage), rental.show)
        table.add("POST", "/manage/:business/offers/:offer/rental", requires: .permission(.serviceTemplateManage), rental.save)

        let members = MemberHandlers()
        table.add("GET", "/manage/:business/members", requires: .permission(.userManage), members.show)
        table.add("POST", "/manage/:business/members/invite", requires: .permission(.userManage), members.invite)
        table.add("POST", "/manage/:business/members/:user/role", requires: .permission(.userManage), members.changeRole)
        table.add("POST", "/manage/:business/members/:user/remove", requires: .permission(.userManage), members.remove)
        table.add("POST", "/manage/:business/invitations/:invitation/revoke", requires: .permission(.userManage), members.revoke)
        table.add("GET", "/invitations/:token", members.showInvitation)
        table.add("POST", "/invitations/:token/accept", requires: .signedIn, members.accept)

        let settings = SettingsHandlers()
        table.add("GET", "/manage/:business/settings", requires: .permission(.orgManage), settings.show)
        table.add("POST", "/manage/:business/settings", requires: .permission(.orgManage), settings.save)
        table.add("POST", "/manage/:business/settings/retention", requires: .permission(.orgManage), settings.saveRetention)
        table.add("POST", "/manage/:business/locations", requires: .permission(.orgManage), settings.addLocation)
        table.add("POST", "/manage/:business/locations/:location", requires: .permission(.orgManage), settings.updateLocation)
        table.add("POST", "/manage/:business/locations/:location/remove", requires: .permission(.orgManage), settings.removeLocation)
        table.add("GET", "/manage/:business/audit", requires: .permission(.auditView), settings.audit)
        let closures = ClosureHandlers()
        table.add("GET", "/manage/:business/closures", requires: .permission(.orgManage), closures.show)
        table.add("POST", "/manage/:business/closures", requires: .permission(.orgManage), closures.add)
        table.add("POST", "/manage/:business/closures/:closure/remove", requires: .permission(.orgManage), closures.remove)
    }
}
