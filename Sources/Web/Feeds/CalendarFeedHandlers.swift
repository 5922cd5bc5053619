import BookingCore
import HTTPServer
import Store

extension App {
    /// Calendar feeds (issue 15): the private `.ics` subscription and the account page's forms.
    static func addCalendarFeedRoutes(to table: inout RouteTable) {
        let feeds = CalendarFeedHandlers()
        table.add("GET", "/feeds/:token.ics", feeds.feed)
        table.add("POST", "/account/calendar-feeds", requires: .signedIn, feeds.create)
        table.add("POST", "/account/calendar-feeds/:feed/revoke", requires: .signedIn, feeds.revoke)
    }
}

struct CalendarFeedHandlers: Sendable {
    /// The feed, or 404 for an unknown or revoked token (or a member who may no longer have it);
    /// 304 when `If-None-Match` names the current ETag.
    func feed(_ context: RequestContext) throws -> Response {
        let token = try context.parameter("token")
        guard token.count == 64, let content = try context.app.database.calendarFeed(token: token, now: context.instant) else {
            throw WebError.notFound("There is no calendar feed at this address. It may have been turned off.")
        }
        let text = CalendarFeedICS.text(content, origin: context.publicOrigin)
        let etag = CalendarFeedICS.etag(text)
        var headers = Headers([("ETag", etag), ("Cache-Control", "private, no-cache"), ("Referrer-Policy", "no-referrer")])
        if context.request.ifNoneMatch(etag) { return Response(status: .notModified, headers: headers) }
        headers.set("Content-Type", "text/calendar; charset=utf-8")
        return Response(status: .ok, headers: headers, body: Array(text.utf8))
    }

    /// Makes a feed of one scope in one of the user's businesses and shows its address once.
    func create(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let form = try context.form()
        guard let membership = try context.memberships().first(where: { $0.businessSlug == form["business"] }),
              let scope = CalendarFeedScope(rawValue: form["scope"] ?? "") else {
            throw WebError.notFound("You are not a member of that business.")
        }
        let token: String
        do {
            token = try context.app.database.createCalendarFeed(userID: user.id, businessID: membership.businessID, scope: scope,
                                                                actor: try context.auditActor(), now: context.instant)
        } catch CalendarFeedError.notAllowed {
            throw WebError.forbidden("Your role in \(membership.businessName) does not include that calendar feed.")
        }
        var page = try AccountPage.load(context, user: user)
        page.createdFeedURL = "\(context.publicOrigin)/feeds/\(token).ics"
        page.notice = "Your calendar feed is ready. Add its address to your calendar as a subscription."
        var response = context.app.page("accounts/account", page, status: .created)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func revoke(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        guard let id = CalendarFeedID(try context.parameter("feed")) else { throw WebError.notFound() }
        do {
            try context.app.database.revokeCalendarFeed(userID: user.id, feedID: id, actor: try context.auditActor(), now: context.instant)
        } catch CalendarFeedError.notFound {
            throw WebError.notFound("That calendar feed is already turned off.")
        }
        return .redirect(to: "/account?done=feed-revoked")
    }
}
