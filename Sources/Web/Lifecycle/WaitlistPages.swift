import BookingCore
import Foundation
import HTTPServer
import Store

/// The customer's waitlist: join a full start (`POST /b/{business}/{offer}/waitlist`), see the
/// entry's position and status, claim an offered place (its hold's checkout) or leave the line.
/// A guest proves an entry is theirs with the token in the link they were given.
struct WaitlistPages: Sendable {
    struct Page: Sendable {
        let layout: Layout
        let businessName: String
        let offerName: String
        let offerURL: String
        let when: String
        let status: String
        let position: Int?
        let partySize: Int?
        let claimURL: String?
        let heldUntil: String?
        let leaveAction: String?
        let token: String?
        let notice: String?
        /// First to confirm wins: the form that claims the announced place, and until when.
        var claimAction: String?
        var claimUntil: String?
    }

    func join(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        guard let start = form["start"].flatMap(RFC3339.parse) else {
            throw WebError.badRequest("That time could not be read. Go back to the list of times and pick one again.", field: "start")
        }
        var partySize = 1
        if let text = form["party_size"], !text.isEmpty {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw WebError.badRequest("The number of people must be a whole number, 1 or more.", field: "party_size")
            }
            partySize = value
        }
        let user = try context.currentUser()
        let email = Validation.normalizedEmail(form["email"] ?? "") ?? (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let customer = CustomerDetails(name: (form["name"] ?? user?.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                                       email: email.isEmpty ? user?.email ?? "" : email,
                                       phone: (form["phone"] ?? "").trimmingCharacters(in: .whitespaces), userID: user?.id)
        let request = BookingRequest(offerSlug: try context.parameter("offer"), start: start, customer: customer, partySize: partySize,
                                     source: "web")
        let (business, joined) = try context.app.database.joinWaitlist(businessSlug: try context.parameter("business"), request: request,
                                                                       now: context.instant, actor: user.map { .user($0.id) } ?? .guest)
        return .redirect(to: Self.entryURL(business, joined.entry.publicID, token: joined.token) + "&joined=1")
    }

    static func entryURL(_ business: Business, _ id: String, token: String?) -> String {
        "/b/\(PercentDecoding.encode(business.slug))/waitlist/\(PercentDecoding.encode(id))?token=" + PercentDecoding.encode(token ?? "")
    }

    private func load(_ context: RequestContext, token: String?) throws -> (Business, WaitlistEntry) {
        let user = try context.currentUser()
        guard let found = try context.app.database.customerWaitlistEntry(businessSlug: try context.parameter("business"),
                                                                        publicID: try context.parameter("entry"),
                                                                        token: token, userID: user?.id) else {
            throw WebError.notFound("We could not find that waitlist entry. Use the link you were given when you joined.")
        }
        return found
    }

    func show(_ context: RequestContext) throws -> Response {
        let token = context.request.query["token"].flatMap { $0.isEmpty ? nil : $0 }
        let (business, entry) = try load(context, token: token)
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        let slug = PercentDecoding.encode(business.slug)
        let offered = entry.status == .offered && (entry.holdExpiresAt ?? 0) > context.instant
        let status: String = switch entry.status {
        case .waiting: "You are on the waitlist."
        case .offered: offered ? "A place is free and held for you: claim it before the hold runs out." : "The place held for you was not claimed in time."
        case .claimed: "You claimed your place: it is booked."
        case .expired: "The place held for you was not claimed in time, so it went to the next person waiting."
        case .left: "You left the waitlist."
        }
        let claimable = entry.canClaim(now: context.instant)
        // What is happening now comes before what the link was made for (the join link is kept and reopened).
        let notice: String? = context.request.query["taken"] != nil
            ? "Sorry, someone else claimed that place first. You keep your place in line, and we will tell you when another one frees."
            : claimable ? "A place is free. Everyone waiting has been told: the first to claim it gets it."
            : context.request.query["joined"] != nil ? "You joined the waitlist. Keep this page's link to check your place or leave."
            : context.request.query["left"] != nil ? "You left the waitlist." : nil
        let statusText = claimable ? "A place is free: claim it before someone else does." : status
        var page = Page(
            layout: try context.layout(title: "Waitlist — \(entry.offerName)", withForm: true), businessName: business.name,
            offerName: entry.offerName, offerURL: "/b/\(slug)/\(PercentDecoding.encode(entry.offerSlug))?date=\(clock.local(entry.start).date)",
            when: "\(BookingFormat.longDate(clock.local(entry.start).date)) at \(clock.local(entry.start).time) (\(business.timeZone))",
            status: statusText, position: entry.status == .waiting ? entry.position : nil,
            partySize: entry.partySize > 1 ? entry.partySize : nil,
            claimURL: offered ? entry.holdID.map { "/b/\(slug)/checkout/\(PercentDecoding.encode($0))" } : nil,
            heldUntil: offered ? entry.holdExpiresAt.map { "\(clock.local($0).time) on \(BookingFormat.longDate(clock.local($0).date))" } : nil,
            leaveAction: entry.status.isActive ? "/b/\(slug)/waitlist/\(PercentDecoding.encode(entry.publicID))/leave" : nil,
            token: token, notice: notice)
        if claimable {
            page.claimAction = "/b/\(slug)/waitlist/\(PercentDecoding.encode(entry.publicID))/claim"
            page.claimUntil = entry.offerExpiresAt.map { "\(clock.local($0).time) on \(BookingFormat.longDate(clock.local($0).date))" }
        }
        var response = context.app.page("booking/waitlist", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// First to confirm wins: the first claim gets a hold and goes to its checkout; a later one gets
    /// the entry's page saying the place was taken (still in line); a late one, that time ran out.
    func claim(_ context: RequestContext) throws -> Response {
        let token = try context.form()["token"].flatMap { $0.isEmpty ? nil : $0 }
        let user = try context.currentUser()
        let (business, result) = try context.app.database.claimWaitlistPlace(
            businessSlug: try context.parameter("business"), publicID: try context.parameter("entry"), token: token, userID: user?.id,
            now: context.instant, actor: user.map { .user($0.id) } ?? .guest)
        let entryURL = Self.entryURL(business, try context.parameter("entry"), token: token)
        switch result {
        case .held(let hold): return .redirect(to: "/b/\(PercentDecoding.encode(business.slug))/checkout/\(PercentDecoding.encode(hold))")
        case .taken: return .redirect(to: entryURL + "&taken=1")
        case .expired: return .redirect(to: entryURL)
        }
    }

    func leave(_ context: RequestContext) throws -> Response {
        let token = try context.form()["token"].flatMap { $0.isEmpty ? nil : $0 }
        let (business, entry) = try load(context, token: token)
        let user = try context.currentUser()
        _ = try context.app.database.leaveWaitlist(business: business, publicID: entry.publicID, now: context.instant,
                                                   actor: user.map { .user($0.id) } ?? .guest)
        return .redirect(to: Self.entryURL(business, entry.publicID, token: token) + "&left=1")
    }
}
