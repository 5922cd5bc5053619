import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// The booking use cases of the door (`AppDatabase+Bookings`, `+CustomerPages`, `+API`): what
/// each decides inside its one transaction.
struct BookingUseCaseTests {
    /// Monday 2026-11-30 09:00 New York.
    static let mondayNine = RFC3339.parse("2026-11-30T14:00:00Z")!
    static let now = DemoStore.seededAt

    func request(_ customer: CustomerDetails, contactRequired: Bool = true) -> BookingRequest {
        BookingRequest(offerSlug: "consultation", start: Self.mondayNine, customer: customer, resourceSlugs: ["dana-doctor"],
                       source: "web", contactRequired: contactRequired)
    }

    @Test func aWebHoldNeedsNoContactDetailsButItsConfirmationDoes() throws {
        let (database, business) = try DemoStore.open("usecase")
        // Given a hold made before checkout asked for anything
        let (_, hold) = try database.hold(businessSlug: "demo", request: request(CustomerDetails(name: "", email: ""), contactRequired: false),
                                          now: Self.now, actor: .guest)
        #expect(hold.status == .held)
        // When it is confirmed without details, then it is refused and stays a hold
        #expect(throws: BookingFailure.invalid(field: "name", message: "enter a name of 1 to 120 characters")) {
            _ = try database.confirmHold(business: business, holdID: hold.publicID, now: Self.now, actor: .guest)
        }
        #expect(try database.order(businessID: business.id, publicID: hold.publicID)?.status == .held)
        // And with details it becomes a booking carrying them
        let confirmed = try database.confirmHold(business: business, holdID: hold.publicID,
                                                 customer: CustomerDetails(name: "Zed Racer", email: "zed@example.com"),
                                                 now: Self.now, actor: .guest)
        #expect(confirmed.order.status == .confirmed)
        #expect(confirmed.order.customer.email == "zed@example.com")
    }

    @Test func aBookingMustNameItsCustomerUnlessItIsAHold() throws {
        let (database, business) = try DemoStore.open("usecase")
        #expect(throws: BookingFailure.invalid(field: "email", message: "enter an email address like name@example.com")) {
            _ = try database.book(business: business, request: request(CustomerDetails(name: "Zed", email: "")), now: Self.now, actor: .guest)
        }
        let count = try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE starts_at = ?",
                                                            arguments: [Self.mondayNine]) }
        #expect(count == 0)
    }

    @Test func anIdempotencyKeyAnswersOneBookingAndRefusesAnotherBody() throws {
        let (database, business) = try DemoStore.open("usecase")
        let customer = CustomerDetails(name: "Zed Racer", email: "zed@example.com")
        let key = try database.createAPIKey(businessID: business.id, name: "test", role: .owner, now: Self.now, actor: .system)
        func book(_ hash: UInt8, key name: String = "k-1") throws -> AppDatabase.IdempotentBooking {
            try database.book(business: business, request: request(customer), now: Self.now, actor: .apiKey(key.id), apiKeyID: key.id,
                              idempotencyKey: name, requestHash: Data([hash]), body: { order, _ in Array(order.publicID.utf8) },
                              refusal: { failure in (409, Array("\(failure)".utf8)) })
        }
        guard case .created(let order, let body) = try book(1) else { Issue.record("the first call must book"); return }
        guard case .replayed(let status, let replay) = try book(1) else { Issue.record("the same key and body must replay"); return }
        #expect(status == 201)
        #expect(replay == body)
        #expect(String(decoding: replay, as: UTF8.self) == order.publicID)
        #expect(throws: BookingFailure.idempotencyMismatch) { _ = try book(2) }
        // Another key for the taken time: the refusal is recorded, and replayed.
        guard case .refused(409, let refusal) = try book(1, key: "k-2") else { Issue.record("the taken time must be refused"); return }
        guard case .replayed(409, let again) = try book(1, key: "k-2") else { Issue.record("the refusal must replay"); return }
        #expect(again == refusal)
        let count = try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE starts_at = ?",
                                                            arguments: [Self.mondayNine]) }
        #expect(count == 1)
    }

    @Test func aBookingIsShownOnlyToItsTokenHolderOrItsSignedInCustomer() throws {
        let (database, business) = try DemoStore.open("usecase")
        let customer = try #require(try database.user(email: "customer@demo.test")).id
        let booked = try database.book(business: business, request: request(CustomerDetails(name: "Zed", email: "zed@example.com", userID: customer)),
                                       now: Self.now, actor: .guest)
        let id = booked.order.publicID
        #expect(try database.customerBooking(publicID: id, token: booked.accessToken, userID: nil)?.details.order.id == booked.order.id)
        #expect(try database.customerBooking(publicID: id, token: nil, userID: customer) != nil)
        #expect(try database.customerBooking(publicID: id, token: nil, userID: UserID(rawValue: customer.rawValue + 1000)) == nil)
        #expect(try database.customerBooking(publicID: id, token: "wrong", userID: nil) == nil)
        #expect(try database.customerBooking(publicID: id, token: "", userID: nil) == nil)
        #expect(try database.customerBooking(publicID: "bk_missing", token: booked.accessToken, userID: customer) == nil)
    }

    @Test func aDayOfAnOfferRefusesAHostThatDoesNotProvideItAndPointsToTheNextFreeDay() throws {
        let (database, _) = try DemoStore.open("usecase")
        #expect(throws: BookingFailure.hostNotOffered("room-1")) {
            _ = try database.offerDay(businessSlug: "demo", offerSlug: "consultation", day: .today, hostSlug: "room-1", now: Self.now,
                                      lookAheadDays: 60)
        }
        #expect(throws: BookingFailure.businessNotFound) {
            _ = try database.offerDay(businessSlug: "nobody", offerSlug: "consultation", day: .today, hostSlug: nil, now: Self.now,
                                      lookAheadDays: 60)
        }
        // Sunday (the seeding day) is closed: the page points to Monday.
        let sunday = try database.offerDay(businessSlug: "demo", offerSlug: "consultation", day: .today, hostSlug: nil, now: Self.now,
                                           lookAheadDays: 60)
        #expect(sunday.slots.isEmpty)
        #expect(sunday.next == LocalDate("2026-11-23"))
        #expect(Set(sunday.hosts.map(\.slug)) == ["dana-doctor", "sam-stylist"])
    }
}
