import BookingCore
import Foundation
import HTTPServer
import Store

/// Offers: list and create; edit the draft version, publish it, pause, resume, archive. A published
/// version is never changed: saving always writes a draft.
struct OfferHandlers: Sendable {
    struct OfferRow: Sendable {
        let name: String
        let url: String
        let mode: String
        let status: String
        let published: String
        let draft: String
    }

    struct ListPage: Sendable {
        let layout: Layout
        let nav: ManageNav
        let offers: [OfferRow]
        var name = ""
        var duration = "30"
        var price = ""
        let currency: String
        var modes = Option.list(OfferHandlers.modes, selected: "slot")
        var errors = FormErrors()
    }

    static let modes = [("slot", "Appointments"), ("class", "Class with seats"), ("multi_day", "Multi-day rental")]

    struct PreviewDay: Sendable {
        let date: String
        let times: String

        /// The local times of `starts` by business-local date, in order.
        static func times(_ starts: [Instant], clock: ZoneClock) -> [LocalDate: [String]] {
            var byDay: [LocalDate: [String]] = [:]
            for start in starts { let l = clock.local(start); byDay[l.date, default: []].append(l.time.description) }
            return byDay
        }

        /// "09:00, 09:30, …" (at most twelve, then how many in all).
        static func list(_ times: [String]) -> String {
            times.prefix(12).joined(separator: ", ") + (times.count > 12 ? " … (\(times.count) in all)" : "")
        }
    }

    struct DetailPage: Sendable {
        let layout: Layout
        let nav: ManageNav
        let name: String
        let slug: String
        let action: String
        let status: String
        let publicPath: String
        /// The staff "check a time" page for this offer (why a time is not bookable).
        let checkURL: String
        let currency: String
        let published: String?
        let publishedSummary: String
        let draft: String?
        let editing: String
        let live: Bool
        let paused: Bool
        let archived: Bool
        var form: VersionForm
        let preview: [PreviewDay]
        let samplePrice: String
        var details: ManageCatalog.OfferDetails
        var saved = false
        var errors = FormErrors()
        /// What publishing the draft changes for customers (when both a published version and a draft exist).
        var changes: PublishChanges?
        /// The intake questions of the edited version (draft, else published), and the form to add one.
        var questions: [QuestionRow] = []
        var hasQuestions = false
        var questionForm = QuestionForm()
        /// A multi-day offer's rental terms form (dates, price per night or day, deposit).
        var rentalURL: String?
    }

    func list(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        return context.app.page("manage/offers", try listPage(context, business, nav))
    }

    private func listPage(_ context: RequestContext, _ business: Business, _ nav: ManageNav) throws -> ListPage {
        let rows = try context.app.database.offerList(businessID: business.id).map {
            OfferRow(name: $0.name, url: nav.base + "/offers/" + PercentDecoding.encode($0.slug), mode: $0.mode.rawValue,
                     status: $0.status.rawValue, published: $0.publishedVersion.map { "v\($0)" } ?? "none",
                     draft: $0.draftVersion.map { "v\($0)" } ?? "none")
        }
        return ListPage(layout: try context.layout(title: "Offers — \(business.name)", withForm: true), nav: nav, offers: rows,
                        currency: business.currency)
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let name = ManageInput.name(form["name"], field: "name", what: "a name", &errors)
        let mode = OfferMode(rawValue: form["mode"] ?? "")
        if mode == nil { errors.add("mode", "Choose how this offer is sold.") }
        let duration = ManageInput.minutes(form["duration_minutes"], field: "duration_minutes", in: 5...VersionForm.maxDurationMinutes, &errors)
        let price = ManageInput.price(form["price"], currency: business.currency, &errors)
        if errors.isEmpty, let name, let mode, let duration, let price {
            let spec = Self.newSpec(mode: mode, durationMinutes: duration, price: Money(price, business.currency))
            let actor = try context.actor()
            let slug = try context.app.database.createOffer(businessID: business.id, name: name, mode: mode, spec: spec,
                                                            actor: actor, now: context.instant)
            return .redirect(to: nav.base + "/offers/" + PercentDecoding.encode(slug))
        }
        var page = try listPage(context, business, nav)
        page.name = String((form["name"] ?? "").prefix(200))
        page.duration = String((form["duration_minutes"] ?? "").prefix(10))
        page.price = String((form["price"] ?? "").prefix(20))
        page.modes = Option.list(Self.modes, selected: form["mode"] ?? "")
        page.errors = errors
        return context.app.page("manage/offers", page, status: .unprocessable)
    }

    /// A new offer's first draft (the page's and the API's): one length, a start every hour at most,
    /// an hour's notice, 180 days ahead, a fixed price, any one host.
    static func newSpec(mode: OfferMode, durationMinutes: Int, price: Money) -> OfferVersionSpec {
        OfferVersionSpec(mode: mode, duration: .fixed(durationMinutes), slotIntervalMinutes: min(durationMinutes, 60),
                         minimumNoticeMinutes: 60, maximumAdvanceDays: 180, price: .fixed(price),
                         components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")])
    }

    // MARK: One offer

    struct Loaded {
        let business: Business
        let nav: ManageNav
        let offer: ManageCatalog.OfferSummary
        let published: ManageCatalog.VersionRow?
        let draft: ManageCatalog.VersionRow?
        let resources: [ResourceInfo]
        let details: ManageCatalog.OfferDetails
        /// The week's starts, when read with the offer (the page shown by `show`).
        let preview: [Instant]?
    }

    /// The route's offer, read at once (with the week's preview when `withPreview`); 404 when there is none.
    func load(_ context: RequestContext, withPreview: Bool = false) throws -> Loaded {
        let (business, _, nav) = try context.managedBusiness()
        let slug = try context.parameter("offer")
        let today = withPreview ? Self.clock(business).local(context.instant).date : nil
        guard let editor = try context.app.database.offerEditor(business: business, slug: slug, previewFrom: today,
                                                                previewTo: today?.adding(days: 6), now: context.instant)
        else { throw WebError.notFound() }
        return Loaded(business: business, nav: nav, offer: editor.offer, published: editor.published, draft: editor.draft,
                      resources: editor.resources, details: editor.details, preview: editor.preview)
    }

    static func clock(_ business: Business) -> ZoneClock {
        ZoneClock(identifier: business.timeZone) ?? ZoneClock(TimeZone(identifier: "UTC")!)
    }

    func detailPage(_ context: RequestContext, _ loaded: Loaded, form: VersionForm? = nil) throws -> DetailPage {
        let business = loaded.business
        let editingSpec = (loaded.draft ?? loaded.published)?.spec
        let clock = Self.clock(business)
        var preview: [PreviewDay] = []
        var sample = ""
        if let spec = editingSpec {
            let today = clock.local(context.instant).date
            let starts = try loaded.preview
                ?? context.app.database.offerPreview(business: business, offerID: loaded.offer.id, spec: spec, from: today,
                                                     to: today.adding(days: 6), now: context.instant)
            let byDay = PreviewDay.times(starts, clock: clock)
            preview = (0..<7).map { today.adding(days: $0) }.map { day in
                let times = byDay[day] ?? []
                return PreviewDay(date: day.description, times: times.isEmpty ? "no times" : PreviewDay.list(times))
            }
            if let first = starts.first {
                let breakdown = Pricing.quote(spec, start: first, end: first + Int64(spec.duration.minMinutes) * 60, partySize: 1,
                                              now: context.instant, timeZone: clock.timeZone)
                let money = { (minor: Int64) in Currency.format(minor, spec.price.currency) }
                sample = breakdown.lines.map { "\($0.label) \(money($0.amount))" }.joined(separator: "; ")
                    + " = \(money(breakdown.total))" + (breakdown.deposit > 0 ? " (deposit \(money(breakdown.deposit)))" : "")
            }
        }
        let nav = loaded.nav
        let summary = loaded.published.map { Self.summary($0.spec) } ?? ""
        let action = nav.base + "/offers/" + PercentDecoding.encode(loaded.offer.slug)
        var page = DetailPage(
            layout: try context.layout(title: "\(loaded.offer.name) — \(business.name)", withForm: true), nav: nav,
            name: loaded.offer.name, slug: loaded.offer.slug, action: action,
            status: loaded.offer.status.rawValue, publicPath: "/b/\(PercentDecoding.encode(business.slug))/\(PercentDecoding.encode(loaded.offer.slug))",
            checkURL: "/staff/\(PercentDecoding.encode(business.slug))/check?offer=\(PercentDecoding.encode(loaded.offer.slug))",
            currency: business.currency, published: loaded.published.map { "v\($0.version)" }, publishedSummary: summary,
            draft: loaded.draft.map { "v\($0.version)" },
            editing: loaded.draft.map { "Editing draft v\($0.version)." } ?? "Saving creates a new draft; the published version stays as it is.",
            live: loaded.offer.status == .live, paused: loaded.offer.status == .paused, archived: loaded.offer.status == .archived,
            form: form ?? VersionForm(spec: editingSpec ?? QuickSetup.spec(.init(
                businessName: "", timeZone: business.timeZone, currency: business.currency, serviceName: "", durationMinutes: 30,
                priceMinorUnits: 0, days: [], opens: .midnight, closes: .endOfDay)), resources: loaded.resources),
            preview: preview, samplePrice: sample, details: loaded.details)
        page.questions = Self.questionRows(editingSpec?.questions ?? [], action: action)
        page.hasQuestions = !page.questions.isEmpty
        return page
    }

    static func summary(_ spec: OfferVersionSpec) -> String {
        var parts = [spec.duration.minMinutes == spec.duration.maxMinutes ? "\(spec.duration.minMinutes) min"
                     : "\(spec.duration.minMinutes)–\(spec.duration.maxMinutes) min by \(spec.duration.stepMinutes)"]
        switch spec.price {
        case .fixed(let m): parts.append(Currency.format(m.minorUnits, m.currency))
        case .perPerson(let m): parts.append(Currency.format(m.minorUnits, m.currency) + " per person")
        case .hourly(let m, _, _): parts.append(Currency.format(m.minorUnits, m.currency) + " per hour")
        }
        parts.append("every \(spec.slotIntervalMinutes) min")
        if spec.bufferBeforeMinutes + spec.bufferAfterMinutes > 0 {
            parts.append("buffers \(spec.bufferBeforeMinutes)/\(spec.bufferAfterMinutes) min")
        }
        if spec.seats > 1 { parts.append("\(spec.seats) seats") }
        if !spec.cancellationTiers.isEmpty {
            parts.append("refunds " + spec.cancellationTiers.map { "\($0.refundPercent)% ≥\($0.minHoursBefore)h" }.joined(separator: ", "))
        }
        return parts.joined(separator: " · ")
    }

    func show(_ context: RequestContext) throws -> Response {
        let loaded = try load(context, withPreview: true)
        var page = try detailPage(context, loaded)
        page.saved = context.request.query["saved"] != nil
        page.changes = try publishChanges(context, loaded)
        if loaded.offer.mode == .multiDay {
            page.rentalURL = loaded.nav.base + "/offers/" + PercentDecoding.encode(loaded.offer.slug) + "/rental"
        }
        return context.app.page("manage/offer", page)
    }

    func saveDraft(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        let form = try context.form()
        var errors = FormErrors()
        let base = (loaded.draft ?? loaded.published)?.spec
            ?? OfferVersionSpec(duration: .fixed(30), price: .fixed(Money(0, loaded.business.currency)), components: [])
        guard let spec = VersionForm.parse(form, base: base, currency: loaded.business.currency, resources: loaded.resources,
                                           errors: &errors) else {
            var page = try detailPage(context, loaded, form: VersionForm(form: form, resources: loaded.resources))
            page.errors = errors
            return context.app.page("manage/offer", page, status: .unprocessable)
        }
        let actor = try context.actor()
        try context.app.database.saveOfferDraft(businessID: loaded.business.id, offerID: loaded.offer.id, spec: spec, actor: actor,
                                                now: context.instant)
        return .redirect(to: loaded.nav.base + "/offers/" + PercentDecoding.encode(loaded.offer.slug))
    }

    func publish(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        // Whether there is a draft is decided inside the write.
        guard try context.app.database.publishOfferDraft(businessID: loaded.business.id, offerID: loaded.offer.id,
                                                         actor: try context.auditActor(), now: context.instant) else {
            throw WebError.unprocessable("no_draft", "There is no draft to publish. Save your changes first.")
        }
        return .redirect(to: loaded.nav.base + "/offers/" + PercentDecoding.encode(loaded.offer.slug))
    }

    func setStatus(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        guard let status = OfferStatus(rawValue: try context.form()["status"] ?? "") else {
            throw WebError.unprocessable("invalid_status", "Choose live, paused or archived.", field: "status")
        }
        let actor = try context.auditActor()
        try context.app.database.setOfferStatus(businessID: loaded.business.id, offerID: loaded.offer.id, status: status,
                                                actor: actor, now: context.instant)
        return .redirect(to: loaded.nav.base + "/offers/" + PercentDecoding.encode(loaded.offer.slug))
    }
}
