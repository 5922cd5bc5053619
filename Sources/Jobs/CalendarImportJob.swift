public import BookingCore
import Foundation
public import Outbound
public import Store

/// Fetches the due busy-time imports (a resource's external iCalendar URL) over the one libcurl
/// wrapper, with the webhooks' SSRF rules (`HTTPClient`'s `DestinationPolicy`: no redirects
/// followed, private addresses refused unless allowed, 10 s), expands their events over the booking
/// horizon (`BusyCalendar`) and records the outcome: new busy time, or the failure with the last
/// good copy kept. Run by the serve loop; each import is its own transaction.
public struct CalendarImportJob: Sendable {
    /// The largest calendar read (a busy Google calendar is a few hundred KB).
    public static let maxBytes = 4 * 1024 * 1024

    let database: AppDatabase
    let client: HTTPClient

    public init(database: AppDatabase, client: HTTPClient) {
        self.database = database
        self.client = client
    }

    /// Fetches every import due at `now`; how many were fetched.
    @discardableResult
    public func runDue(now: Instant) throws -> Int {
        let due = try database.dueCalendarImports(now: now)
        for item in due {
            switch fetch(item, now: now) {
            case .success(let busy): try database.recordCalendarImport(id: item.id, busy: busy, failure: nil, now: now)
            case .failure(let reason): try database.recordCalendarImport(id: item.id, busy: nil, failure: reason.text, now: now)
            }
        }
        return due.count
    }

    struct Reason: Error { let text: String }

    func fetch(_ item: DueCalendarImport, now: Instant) -> Result<[TimeRange], Reason> {
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(method: "GET", url: item.url,
                                                   headers: [("Accept", "text/calendar"), ("User-Agent", "Bizing-Calendar-Import/1")],
                                                   body: [], timeoutSeconds: 10, maxResponseBytes: Self.maxBytes))
        } catch {
            return .failure(Reason(text: "The calendar could not be fetched (\(error))."))
        }
        guard (200..<300).contains(response.status) else {
            return .failure(Reason(text: "The calendar's server answered \(response.status)."))
        }
        guard response.body.count < Self.maxBytes else {
            return .failure(Reason(text: "The calendar is larger than \(Self.maxBytes / 1024 / 1024) MB."))
        }
        let window = TimeRange(start: now - 86_400, end: now + Int64(AppDatabase.calendarImportHorizonDays) * 86_400)
        do {
            return .success(try BusyCalendar.busy(String(decoding: response.body, as: UTF8.self), window: window, defaultZone: item.timeZone))
        } catch {
            return .failure(Reason(text: "The address did not answer with an iCalendar file."))
        }
    }
}
