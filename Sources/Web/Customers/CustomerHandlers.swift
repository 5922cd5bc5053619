import BookingCore
import HTTPServer
import Store

/// `/manage/{business}/customers` (issue 19): search, a customer's page, tags and private notes,
/// merging two records of the same person. What a member sees is `CustomerAccess`'s decision.
struct CustomerHandlers: Sendable {
    static func addRoutes(to table: inout RouteTable) {
        let handlers = CustomerHandlers()
        table.add("GET", "/manage/:business/customers", requires: .permission(.bookingViewOrg), handlers.list)
        table.add("GET", "/manage/:business/customers/:customer", requires: .permission(.bookingViewOrg), handlers.show)
        table.add("POST", "/manage/:business/customers/:customer", requires: .permission(.bookingManageOrg), handlers.update)
        table.add("POST", "/manage/:business/customers/:customer/merge", requires: .permission(.bookingManageOrg), handlers.merge)
        table.add("POST", "/manage/:business/customers/:customer/erase", requires: .permission(.bookingManageOrg), handlers.erase)
        table.add("GET", "/manage/:business/customers/:customer/data.json", requires: .permission(.bookingManageOrg), handlers.data)
        table.add("GET", "/account/data.json", requires: .signedIn, handlers.accountData)
    }

    func list(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let query = String((context.request.query["q"] ?? "").prefix(100))
        guard let list = try context.app.database.customers(businessID: business.id, role: membership.role, text: query) else {
            throw WebError.notFound()
        }
        let access = CustomerAccess(role: membership.role, policy: list.policy)
        let page = CustomerPages.list(list, access: access, query: query,
                                      layout: try context.layout(title: "Customers — \(business.name)"), nav: nav)
        return context.app.page("manage/customers", page)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (record, access, nav) = try load(context)
        var page = CustomerPages.record(record, access: access, layout: try layout(context, record), nav: nav)
        if access.role.can(.bookingCreate) && access.role.can(.calendarView) {
            page.bookURL = StaffCalendar.base(record.business.slug) + "/book?customer=\(record.id)"
        }
        if let held = try context.app.database.customerHoldings(businessID: record.business.id, customerID: record.id, now: context.instant) {
            page.wallet = CustomerPages.wallet(held, now: context.instant)
        }
        if access.visibility(.email) == .full, let email = record.emails.first {
            page.walletURL = "/staff/\(PercentDecoding.encode(record.business.slug))/wallet?email=" + PercentDecoding.encode(email)
        }
        return context.app.page("manage/customer", page)
    }

    func update(_ context: RequestContext) throws -> Response {
        let (record, access, nav) = try load(context)
        guard access.canEdit else { throw WebError.forbidden("Your role may not change this customer's notes.") }
        let form = try context.form()
        var errors = FormErrors()
        var tags: [String] = []
        var notes = ""
        do { tags = try CustomerRules.tags(form["tags"] ?? "") } catch { errors.add(error.field, error.message) }
        do { notes = try CustomerRules.notes(form["notes"] ?? "") } catch { errors.add(error.field, error.message) }
        if errors.isEmpty {
            try context.app.database.updateCustomer(businessID: record.business.id, id: record.id, tags: tags, notes: notes,
                                                    actor: try context.auditActor(), now: context.instant)
            return .redirect(to: nav.base + "/customers/\(record.id)")
        }
        var page = CustomerPages.record(record, access: access, layout: try layout(context, record), nav: nav)
        page.tagsText = String((form["tags"] ?? "").prefix(1000))
        page.notesText = String((form["notes"] ?? "").prefix(CustomerRules.maxNotesLength + 100))
        page.errors = errors
        return context.app.page("manage/customer", page, status: .unprocessable)
    }

    /// Merges the record named in the form (`duplicate`, its number) into this one.
    func merge(_ context: RequestContext) throws -> Response {
        let (record, access, nav) = try load(context)
        guard access.canEdit else { throw WebError.forbidden("Your role may not merge customers.") }
        let form = try context.form()
        var errors = FormErrors()
        if let duplicate = CustomerID(ManageInput.trimmed(form["duplicate"])), duplicate != record.id {
            do {
                try context.app.database.mergeCustomers(businessID: record.business.id, keep: record.id, duplicate: duplicate,
                                                        actor: try context.auditActor(), now: context.instant)
                return .redirect(to: nav.base + "/customers/\(record.id)")
            } catch CatalogError.notFound {
                errors.add("duplicate", "There is no other customer with that number.")
            }
        } else {
            errors.add("duplicate", "Enter the number of the other customer's record (it ends their page's address).")
        }
        var page = CustomerPages.record(record, access: access, layout: try layout(context, record), nav: nav)
        page.errors = errors
        return context.app.page("manage/customer", page, status: .unprocessable)
    }

    /// Erases the customer on request (`AppDatabase.eraseCustomer`); refused, with the bookings to
    /// cancel first, while one is upcoming.
    func erase(_ context: RequestContext) throws -> Response {
        let (record, access, nav) = try load(context)
        guard access.canEdit else { throw WebError.forbidden("Your role may not erase customers.") }
        let form = try context.form()
        var errors = FormErrors()
        if form["confirm"] != "yes" {
            errors.add("confirm", "Tick the box to confirm that the customer asked to be forgotten.")
        } else {
            switch try context.app.database.eraseCustomer(businessID: record.business.id, id: record.id, actor: try context.auditActor(),
                                                          now: context.instant) {
            case .erased, .notFound:
                return .redirect(to: nav.base + "/customers")
            case .upcoming(let ids):
                errors.add("confirm", "Cancel the upcoming booking\(ids.count == 1 ? "" : "s") first (\(ids.joined(separator: ", "))): "
                               + "the business still needs to know who is coming.")
            }
        }
        var page = CustomerPages.record(record, access: access, layout: try layout(context, record), nav: nav)
        page.errors = errors
        return context.app.page("manage/customer", page, status: .unprocessable)
    }

    /// Everything the business holds about the customer, as JSON, when they ask for it.
    func data(_ context: RequestContext) throws -> Response {
        let (record, access, _) = try load(context)
        guard access.canEdit else { throw WebError.forbidden("Your role may not export a customer's data.") }
        guard let data = try context.app.database.customerData(businessID: record.business.id, id: record.id) else { throw WebError.notFound() }
        return PersonalDataJSON.response(data, generatedAt: context.instant, fileName: "customer-\(record.id)-data.json")
    }

    /// Everything every business holds about the signed-in user's bookings, as JSON.
    func accountData(_ context: RequestContext) throws -> Response {
        guard let user = try context.currentUser(), let data = try context.app.database.accountData(userID: user.id) else {
            throw WebError.notFound()
        }
        return PersonalDataJSON.response(data, generatedAt: context.instant, fileName: "bizing-my-data.json")
    }

    private func load(_ context: RequestContext) throws -> (CustomerRecord, CustomerAccess, ManageNav) {
        let (business, membership, nav) = try context.managedBusiness()
        guard let id = CustomerID(try context.parameter("customer")),
              let record = try context.app.database.customer(businessID: business.id, id: id, scope: membership.scope) else {
            throw WebError.notFound()
        }
        return (record, CustomerAccess(role: membership.role, policy: record.policy), nav)
    }

    private func layout(_ context: RequestContext, _ record: CustomerRecord) throws -> Layout {
        try context.layout(title: "Customer — \(record.business.name)", withForm: true)
    }
}
