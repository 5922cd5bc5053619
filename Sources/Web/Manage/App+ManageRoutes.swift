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
        table.add("POST", "/manage/:business/resources/:resource/hours", requires: .permission(.providerManageOrg), resources.saveHours)
        table.add("POST", "/manage/:business/resources/:resource/overrides", requires: .permission(.providerManageOrg), resources.addOverride)
        table.add("POST", "/manage/:business/resources/:resource/blocks", requires: .permission(.providerManageOrg), resources.addBlock)

        let offers = OfferHandlers()
        table.add("GET", "/manage/:business/offers", requires: .permission(.serviceTemplateManage), offers.list)
        table.add("POST", "/manage/:business/offers", requires: .permission(.serviceTemplateManage), offers.create)
        table.add("GET", "/manage/:business/offers/:offer", requires: .permission(.serviceTemplateManage), offers.show)
        table.add("POST", "/manage/:business/offers/:offer/draft", requires: .permission(.serviceTemplateManage), offers.saveDraft)
        table.add("POST", "/manage/:business/offers/:offer/publish", requires: .permission(.serviceTemplateManage), offers.publish)
        table.add("POST", "/manage/:business/offers/:offer/status", requires: .permission(.serviceTemplateManage), offers.setStatus)

        let settings = SettingsHandlers()
        table.add("GET", "/manage/:business/settings", requires: .permission(.orgManage), settings.show)
        table.add("POST", "/manage/:business/settings", requires: .permission(.orgManage), settings.save)
        table.add("GET", "/manage/:business/audit", requires: .permission(.auditView), settings.audit)
    }
}
