import BookingCore
import Foundation
import Store

/// The one source of truth for `/api/v1`'s OpenAPI 3.1 document: every operation, its parameters,
/// body, answer and errors, plus the schemas of every shape. `/api/v1/openapi.json` serves it, `/api`
/// renders it for people, and tests check it against the router and against real answers.
enum APISpec {
    struct Parameter: Sendable {
        let name: String
        /// `path`, `query` or `header`.
        let location: String
        let required: Bool
        let description: String
        let schema: Schema
    }

    /// A JSON Schema written as Swift values (turned into a dictionary for the document).
    indirect enum Schema: Sendable {
        case string(format: String? = nil, enumeration: [String]? = nil, pattern: String? = nil, minLength: Int? = nil,
                    maxLength: Int? = nil, nullable: Bool = false, description: String? = nil)
        case integer(minimum: Int? = nil, maximum: Int? = nil, nullable: Bool = false, description: String? = nil)
        case boolean
        case array(Schema, minItems: Int? = nil, maxItems: Int? = nil)
        /// Properties in order; `required` names; closed (additionalProperties false).
        case object([(String, Schema)], required: [String], description: String? = nil)
        case ref(String)
        /// Exactly one of the schemas (closed objects told apart by their required fields).
        case oneOf([Schema], description: String? = nil)
        /// A named schema, or null.
        case nullableRef(String)
        /// Any JSON object (the OpenAPI document itself).
        case anyObject
        /// An object of `values` by key (intake answers): keys matching `keyPattern`, at most `maxProperties`.
        case map(Schema, keyPattern: String, maxProperties: Int, description: String?)

        static let text = Schema.string()
        static let time = Schema.string(format: "date-time", description: "RFC 3339, UTC")
        static let date = Schema.string(format: "date", description: "a date in the business's time zone")
        static let money = Schema.integer(description: "minor units (cents)")
        /// An offer's or a resource's slug: lower-case letters and digits in hyphen-separated words.
        static let slug = Schema.string(pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", maxLength: 60)
        /// A booking's or hold's id (`bk_…`), or a page cursor: letters, digits, `_` and `-`.
        static let token = Schema.string(pattern: "^[A-Za-z0-9_-]+$", maxLength: 100)
    }

    struct Operation: Sendable {
        let method: String
        /// OpenAPI style (`/api/v1/bookings/{id}`).
        let path: String
        let id: String
        let tag: String
        let summary: String
        let description: String
        let permission: Permission?
        var parameters: [Parameter] = []
        /// Schema name of the JSON request body, whether it is required, and an example.
        var body: (schema: String, required: Bool, example: String)? = nil
        let status: Int
        /// Schema name of the success answer.
        let answer: String
        /// Error statuses this operation may answer with (besides the success).
        let errors: [Int]
        var authenticated = true

        /// Every error status: 400 is possible everywhere (a malformed request line or query); a
        /// POST may answer 422 `idempotency_mismatch` and 409 `idempotency_in_progress`.
        var allErrors: [Int] { Array(Set(errors + [400] + (method == "POST" ? [409, 422] : []))).sorted() }

        /// The parameters, with `Idempotency-Key` on every POST.
        var allParameters: [Parameter] {
            method == "POST" && !parameters.contains { $0.name == "Idempotency-Key" } ? parameters + [APISpec.idempotencyKey] : parameters
        }
    }

    // MARK: Intake answers (issue 19)

    static let answerKeyPattern = "^[a-z][a-z0-9_]{0,39}$"

    static let answersRequest = Schema.map(
        .string(maxLength: IntakeRules.maxAnswerLength), keyPattern: answerKeyPattern, maxProperties: IntakeRules.maxQuestions,
        description: "Answers to the offer's intake questions, by question key (GET /api/v1/offers/{offer}/versions lists them). "
            + "Every required question needs an answer: a missing one is 422 with `field` = its key; a key that names no question is 422 too. "
            + "By kind: short_text ≤ \(IntakeRules.maxShortText) characters, long_text ≤ \(IntakeRules.maxLongText), choice one of the options, "
            + "yes_no `yes` or `no`, number matching `\(IntakeRules.numberPattern)`, date `YYYY-MM-DD`. Answers are trimmed; an empty optional one is left out.")

    static let answersAnswer = Schema.map(
        .string(maxLength: IntakeRules.maxAnswerLength), keyPattern: answerKeyPattern, maxProperties: IntakeRules.maxQuestions,
        description: "The intake answers frozen with the booking, by question key. A sensitive question's answer is `•••` for a key whose role may not read notes (the field-visibility policy); keys of roles that may not see the customer get none.")

    // MARK: Parameters

    static let idempotencyKey = Parameter(
        name: "Idempotency-Key", location: "header", required: false,
        description: "Any string of 1 to 255 characters that identifies this attempt. For 24 hours, the same key (per API key) with the same method, path and body gets the first answer again, an error included (header `Idempotent-Replayed: true`); with another request, 422 `idempotency_mismatch`; while the first request still runs, 409 `idempotency_in_progress`. A 5xx answer is not kept. `POST /api/v1/bookings` and `POST /api/v1/webhooks` record the key in the transaction that makes the booking or subscription, and keep no answer for a body refused for its fields (400, 422) before that.",
        schema: .string(minLength: 1, maxLength: 255))
    static let offerPath = Parameter(name: "offer", location: "path", required: true, description: "The offer's slug.",
                                     schema: .slug)
    static let idPath = Parameter(name: "id", location: "path", required: true, description: "The booking's (or hold's) id.",
                                  schema: .token)
    static let customerPath = Parameter(name: "id", location: "path", required: true, description: "The customer record's id.",
                                        schema: .integer(minimum: 1))
    static let membershipPath = Parameter(name: "membership", location: "path", required: true,
                                          description: "The membership's id (`memberships[].id` of the customer's wallet).",
                                          schema: .integer(minimum: 1))
    static let from = Parameter(name: "from", location: "query", required: false, description: "First day (business time zone); default today.",
                                schema: .date)
    static let to = Parameter(name: "to", location: "query", required: false, description: "Last day, inclusive.", schema: .date)

    static let statusList = BookingStatus.allCases.map(\.rawValue)

    // MARK: Operations

    static let operations: [Operation] = [
        Operation(method: "GET", path: "/api/v1/openapi.json", id: "getOpenAPI", tag: "Meta", summary: "This document",
                  description: "The OpenAPI 3.1 document describing every endpoint of /api/v1. No key needed.",
                  permission: nil, status: 200, answer: "OpenAPIDocument", errors: [], authenticated: false),
        Operation(method: "GET", path: "/api/v1/offers", id: "listOffers", tag: "Catalog", summary: "List live offers",
                  description: "Offers customers can book now, with their current price.",
                  permission: nil, status: 200, answer: "OfferList", errors: [401, 429]),
        Operation(method: "GET", path: "/api/v1/offers/{offer}/availability", id: "getAvailability", tag: "Catalog",
                  summary: "Bookable start times",
                  description: "Slots of an offer between two dates (at most \(AvailabilityReads.maxDays) days). `seats_left` is how many more bookings fit at that start, not counting places owed to the waitlist (open claims, and places those waiting are offered first). A program's class lists none: its courses are sold whole (`/api/v1/programs/{offer}`).",
                  permission: nil,
                  parameters: [offerPath, from, to,
                               Parameter(name: "resource", location: "query", required: false, description: "Only slots with this resource (slug).",
                                         schema: .slug),
                               Parameter(name: "party_size", location: "query", required: false, description: "People in the booking; default 1.",
                                         schema: .integer(minimum: 1, maximum: 1000))],
                  status: 200, answer: "SlotList", errors: [401, 404, 422, 429]),
        Operation(method: "GET", path: "/api/v1/offers/{offer}/explain", id: "explainStart", tag: "Catalog",
                  summary: "Why a start is or is not bookable",
                  description: "Every resource that could serve the start, with every reason it cannot, as stable codes with a sentence. `bookable` is the engine's verdict (the same as availability and booking); when it is true, `reasons` may still list resources that cannot serve the start (another one can). Codes: `closed`, `outside_hours`, `blocked`, `taken`, `buffer`, `notice`, `advance`, `no_seats`, `limit_reached`, and `misaligned`, `invalid_duration`, `no_qualified_resource` for a start that is not on the offer's grid. `booking` names the booking holding the time only for owner, admin and manager keys; other keys read only `taken`. Paused offers are explained to keys that manage offers.",
                  permission: nil,
                  parameters: [offerPath,
                               Parameter(name: "start", location: "query", required: true, description: "The start to explain, RFC 3339 (at most 40 characters).",
                                         schema: .string(format: "date-time", maxLength: 40, description: "RFC 3339, UTC")),
                               Parameter(name: "resource", location: "query", required: false, description: "Explain only this resource (slug).",
                                         schema: .slug)],
                  status: 200, answer: "Explanation", errors: [401, 404, 422, 429]),
        Operation(method: "GET", path: "/api/v1/offers/{offer}/versions", id: "listOfferVersions", tag: "Catalog",
                  summary: "An offer's versions (read-only)",
                  description: "Every version of the offer, drafts included, with its status and a summary of its rules.",
                  permission: .serviceTemplateManage, parameters: [offerPath],
                  status: 200, answer: "OfferVersionList", errors: [401, 403, 404, 429]),
        Operation(method: "GET", path: "/api/v1/packages", id: "listPackages", tag: "Catalog", summary: "List packages of credits",
                  description: "Packages the business sells: credits for the offers named, valid `valid_days` days from purchase (to the end of that day in the business's time zone), shareable within the buyer's household or not.",
                  permission: nil, status: 200, answer: "PackageList", errors: [401, 429]),
        Operation(method: "GET", path: "/api/v1/wallet", id: "getWallet", tag: "Catalog", summary: "A customer's credits",
                  description: "The credits at this business of the customer with that email: each lot with its balance (the sum of its movements), what is still usable, its expiry and its history. An email without an account has no lots.",
                  permission: .bookingViewOrg,
                  parameters: [Parameter(name: "email", location: "query", required: true, description: "The customer's email address.",
                                         schema: .string(format: "email", maxLength: 254))],
                  status: 200, answer: "Wallet", errors: [401, 403, 422, 429]),
        Operation(method: "GET", path: "/api/v1/products", id: "listProducts", tag: "Catalog", summary: "List products",
                  description: "What the business sells ahead of time: packages of credits (`kind` `package`), promo codes (`kind` `promo_code`, with the uses that count against their limits now; a use on a hold that lapsed unpaid is given back) gift card amounts (`kind` `gift_card`: staff sell cards of these values, each with its own code) and memberships (`kind` `membership`: `price` a month; each month from the day a member starts, counted in the business's time zone with the day kept or clamped to the month's last day, they get `credits` for the `offers`, rolled over up to `rollover_cap` when `rollover`, else expiring at the month's end; `discount_percent` off the business's other offers, as a line of the booking's price; a member may pause up to `max_pause_months` months; a cancellation takes effect at the end of the current month, or with `cancel_notice_days` days' notice at the first month end after it).",
                  permission: nil, status: 200, answer: "ProductList", errors: [401, 429]),
        Operation(method: "POST", path: "/api/v1/products", id: "createProduct", tag: "Catalog", summary: "Add a product",
                  description: "Adds a package of credits, a membership, a promo code or a gift card amount (`amount_off` is the card's value). A membership needs at least one offer; `rollover_cap` above 0 needs `rollover` true (422); without `cancel_notice_days` a cancellation takes effect at the end of the current month. `offers` are live offers' slugs (an unknown one is 404 with `field` `offers`); a package needs at least one. A promo code takes exactly one of `percent_off` and `amount_off`; it is stored upper case, and a code the business already has is 409 `code_taken`; `valid_until` before `valid_from` is 422. Without `offers` a promo code applies to every offer.",
                  permission: .serviceTemplateManage,
                  body: ("ProductRequest", true, #"{"kind":"promo_code","code":"SPRING10","percent_off":10,"offers":["consultation"],"total_limit":100}"#),
                  status: 201, answer: "Product", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "GET", path: "/api/v1/customers/{id}/wallet", id: "getCustomerWallet", tag: "Catalog",
                  summary: "A customer's usable credits",
                  description: "The credits a customer record (`GET /api/v1/customers`) can still use at this business: each lot of the accounts with the record's addresses that has credits left and has not expired, with what remains (the sum of its movements) and its expiry (a member's credits for the month are such a lot, expiring at the month's end). A record whose addresses have no account has none. `memberships` lists the accounts' memberships here with their status, next renewal and months due at the venue.",
                  permission: .bookingViewOrg, parameters: [customerPath],
                  status: 200, answer: "CustomerWallet", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/customers/{id}/wallet/grants", id: "grantPackage", tag: "Catalog",
                  summary: "Grant a package bought at the venue",
                  description: "Records a package sold at the venue (paid there) and grants its credits to the customer's account, valid `valid_days` days from today (to the end of that day in the business's time zone). Answers the customer's wallet. An unknown customer or package is 404; a customer none of whose addresses has an account is 409 `no_account` (credits belong to an account).",
                  permission: .bookingManageOrg, parameters: [customerPath], body: ("GrantRequest", true, #"{"product":1}"#),
                  status: 201, answer: "CustomerWallet", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/customers/{id}/memberships", id: "signUpMember", tag: "Catalog",
                  summary: "Sign a customer up for a membership at the venue",
                  description: "Starts a membership of the plan (`GET /api/v1/products`, kind `membership`) for the customer's account, its first month paid now at the venue (`payment` `at_venue`, the default, or `cash`): active from today with the month's credits granted, later months due at the venue. Answers the customer's wallet. An unknown customer or plan is 404; a customer none of whose addresses has an account is 409 `no_account`; one who already has this membership is 409 `already_member`.",
                  permission: .bookingManageOrg, parameters: [customerPath], body: ("MembershipSignUpRequest", true, #"{"plan":1,"payment":"cash"}"#),
                  status: 201, answer: "CustomerWallet", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/customers/{id}/memberships/{membership}/pause", id: "pauseMembership", tag: "Catalog",
                  summary: "Pause a membership",
                  description: "Pauses the `months` months after the current one: no credits are granted and nothing is due for them. The plan's longest pause, one pause at a time and not once cancelled; otherwise 409 `membership_refused` with the reason. A membership that is not this customer's is 404. Answers the customer's wallet.",
                  permission: .bookingManageOrg, parameters: [customerPath, membershipPath],
                  body: ("MembershipPauseRequest", true, #"{"months":1}"#),
                  status: 200, answer: "CustomerWallet", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/customers/{id}/memberships/{membership}/resume", id: "resumeMembership", tag: "Catalog",
                  summary: "End a membership's pause",
                  description: "A pause not yet begun is dropped; one under way ends with the current month. Not paused is 409 `membership_refused`. A membership that is not this customer's is 404. Takes no body (or `{}`). Answers the customer's wallet.",
                  permission: .bookingManageOrg, parameters: [customerPath, membershipPath],
                  status: 200, answer: "CustomerWallet", errors: [400, 401, 403, 404, 409, 413, 429]),
        Operation(method: "POST", path: "/api/v1/customers/{id}/memberships/{membership}/cancel", id: "cancelMembership", tag: "Catalog",
                  summary: "Cancel a membership",
                  description: "Cancels by the plan's rule: the membership runs to the end of the current month, or to the first month's end after the plan's notice; one not yet started ends at once. Already cancelled is 409 `membership_refused`. A membership that is not this customer's is 404. Takes no body (or `{}`). Answers the customer's wallet.",
                  permission: .bookingManageOrg, parameters: [customerPath, membershipPath],
                  status: 200, answer: "CustomerWallet", errors: [400, 401, 403, 404, 409, 413, 429]),
        Operation(method: "GET", path: "/api/v1/resources", id: "listResources", tag: "Catalog", summary: "List resources",
                  description: "Active hosts, rooms and equipment of the business.",
                  permission: nil, status: 200, answer: "ResourceList", errors: [401, 429]),
        Operation(method: "POST", path: "/api/v1/holds", id: "createHold", tag: "Bookings", summary: "Hold a time",
                  description: "Holds a start for the offer's hold time; confirm it to book. A start that is not bookable is 422 `invalid_start`; a bookable start that is taken is 409 `slot_unavailable`. When the business takes payments through Stripe and the offer asks for a deposit or the full price, the hold's `payment` is `requires_payment` with the PaymentIntent's `client_secret` (pay it with Stripe.js, then confirm); 503 `payments_unavailable` when Stripe cannot be reached.",
                  permission: .bookingCreate, body: ("BookingRequest", true, bookingExample),
                  status: 201, answer: "Booking", errors: [400, 401, 403, 404, 409, 413, 422, 429, 503]),
        Operation(method: "POST", path: "/api/v1/holds/{id}/confirm", id: "confirmHold", tag: "Bookings", summary: "Confirm a hold",
                  description: "Turns a hold into a booking (or a pending one when the offer needs approval). A hold that waits for its payment is confirmed only once Stripe says the payment succeeded; before that 409 `payment_required`.",
                  permission: .bookingCreate, parameters: [idPath],
                  status: 201, answer: "Booking", errors: [401, 403, 404, 409, 429, 503]),
        Operation(method: "POST", path: "/api/v1/bookings", id: "createBooking", tag: "Bookings", summary: "Book at once",
                  description: "Books a start. With `Idempotency-Key`, the same key and body return the first answer again (header `Idempotent-Replayed: true`), a refusal such as 409 `slot_unavailable` included; the same key with another body is 422 `idempotency_mismatch`. The key is recorded in the booking's own transaction. An offer paid online (the business takes payments through Stripe and the offer asks for a deposit or the full price) answers a hold instead: `status` `held`, `payment.status` `requires_payment` with the PaymentIntent's `client_secret`; it becomes the booking when the payment succeeds (Stripe's webhook, or `POST /api/v1/holds/{id}/confirm`). The Idempotency-Key is not applied to those.",
                  permission: .bookingCreate,
                  parameters: [idempotencyKey],
                  body: ("BookingRequest", true, bookingExample),
                  status: 201, answer: "Booking", errors: [400, 401, 403, 404, 409, 413, 422, 429, 503]),
        Operation(method: "GET", path: "/api/v1/bookings", id: "listBookings", tag: "Bookings", summary: "List bookings",
                  description: "Bookings starting between two dates, ordered by start then id. Holds and expired orders are left out unless `status` asks for them. Pages: pass `next_cursor` back as `cursor` with the same filters; rows added meanwhile never repeat or shift earlier ones.",
                  permission: .bookingViewOrg,
                  parameters: [
                    Parameter(name: "from", location: "query", required: false, description: "First day (business time zone); default today.", schema: .date),
                    Parameter(name: "to", location: "query", required: false, description: "Last day, inclusive; default from + 30 days (at most 366).", schema: .date),
                    Parameter(name: "status", location: "query", required: false,
                              description: "Comma-separated statuses: \(statusList.joined(separator: ", ")); empty means any.",
                              schema: .string(pattern: "^((\(statusList.joined(separator: "|")))(,(\(statusList.joined(separator: "|"))))*)?$", maxLength: 200)),
                    Parameter(name: "offer", location: "query", required: false, description: "Only this offer (slug).", schema: .slug),
                    Parameter(name: "resource", location: "query", required: false, description: "Only bookings using this resource (slug).",
                              schema: .slug),
                    Parameter(name: "limit", location: "query", required: false, description: "Page size, 1 to 200; default 50.",
                              schema: .integer(minimum: 1, maximum: 200)),
                    Parameter(name: "cursor", location: "query", required: false, description: "The `next_cursor` of the previous page (opaque).",
                              schema: .token),
                  ],
                  status: 200, answer: "BookingList", errors: [401, 403, 404, 422, 429]),
        Operation(method: "GET", path: "/api/v1/bookings/{id}", id: "getBooking", tag: "Bookings", summary: "One booking",
                  description: "The booking (or hold) with this id.",
                  permission: .bookingViewOrg, parameters: [idPath], status: 200, answer: "Booking", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/bookings/{id}/cancel", id: "cancelBooking", tag: "Bookings", summary: "Cancel",
                  description: "Cancels the booking; the refund follows the offer's cancellation tiers. The body is optional.",
                  permission: .bookingManageOrg, parameters: [idPath], body: ("CancelRequest", false, #"{"reason":"Changed plans"}"#),
                  status: 200, answer: "Cancellation", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/bookings/{id}/reschedule", id: "rescheduleBooking", tag: "Bookings", summary: "Move to another start",
                  description: "Moves a confirmed or pending booking to another start, keeping its resources when they are free. Class bookings cannot move (422); other statuses are 409 `illegal_transition`.",
                  permission: .bookingManageOrg, parameters: [idPath], body: ("RescheduleRequest", true, #"{"start":"2026-12-01T15:00:00Z"}"#),
                  status: 200, answer: "Booking", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/bookings/{id}/check-in", id: "checkInBooking", tag: "Bookings", summary: "Check in",
                  description: "Marks a confirmed booking as checked in, from the business's check-in window before the start (60 minutes unless the business sets another); earlier is 409 `illegal_transition`.",
                  permission: .bookingCheckIn, parameters: [idPath], status: 200, answer: "Booking", errors: [401, 403, 404, 409, 429]),
        Operation(method: "POST", path: "/api/v1/bookings/{id}/complete", id: "completeBooking", tag: "Bookings", summary: "Complete",
                  description: "Marks a checked-in booking as completed, once its start has passed; earlier is 409 `illegal_transition`.",
                  permission: .bookingManageOrg, parameters: [idPath], status: 200, answer: "Booking", errors: [401, 403, 404, 409, 429]),
        Operation(method: "POST", path: "/api/v1/bookings/{id}/no-show", id: "noShowBooking", tag: "Bookings", summary: "No-show",
                  description: "Marks a confirmed booking as a no-show, from its start plus the business's grace period (15 minutes unless the business sets another; earlier is 409 `illegal_transition`, and the booking keeps its time); the offer's no-show fee is charged.",
                  permission: .bookingManageOrg, parameters: [idPath], status: 200, answer: "Booking", errors: [401, 403, 404, 409, 429]),
        Operation(method: "POST", path: "/api/v1/bookings/{id}/approve", id: "approveBooking", tag: "Approvals", summary: "Approve",
                  description: "Confirms a `pending` booking (an offer with approval required); the customer is emailed. Any other status is 409 `illegal_transition`. The body is optional; a reason is recorded.",
                  permission: .bookingManageOrg, parameters: [idPath], body: ("DecisionRequest", false, #"{"reason":"Welcome"}"#),
                  status: 200, answer: "Booking", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/bookings/{id}/decline", id: "declineBooking", tag: "Approvals", summary: "Decline",
                  description: "Cancels a `pending` booking with a full refund; the customer is emailed with the reason, and the freed time goes to the waitlist. Any other status is 409 `illegal_transition`.",
                  permission: .bookingManageOrg, parameters: [idPath], body: ("DecisionRequest", false, #"{"reason":"Fully booked that week"}"#),
                  status: 200, answer: "Booking", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/waitlist", id: "joinWaitlist", tag: "Waitlist", summary: "Join the waitlist of a full start",
                  description: "Adds the customer to the line for a start that is taken for the party. A start that still has room is 409 `slot_available` (book it instead); a start that is not bookable at all is 422 `invalid_start`; the same email already waiting for that start is 422. When a place frees, the first entry that fits gets a hold (the business's waitlist offer time, 30 minutes unless set) and an email with the claim link; claiming is confirming that hold.",
                  permission: .bookingCreate, body: ("WaitlistRequest", true, bookingExample),
                  status: 201, answer: "WaitlistEntry", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "GET", path: "/api/v1/waitlist", id: "listWaitlist", tag: "Waitlist", summary: "The line for one start",
                  description: "Every entry for the offer's start in position order (those still in line first, then the rest by age).",
                  permission: .bookingViewOrg,
                  parameters: [Parameter(name: "offer", location: "query", required: true, description: "The offer's slug.", schema: .slug),
                               Parameter(name: "start", location: "query", required: true, description: "The start (RFC 3339 UTC).",
                                         schema: .string(format: "date-time", maxLength: 40))],
                  status: 200, answer: "WaitlistEntryList", errors: [401, 403, 404, 422, 429]),
        Operation(method: "DELETE", path: "/api/v1/waitlist/{id}", id: "leaveWaitlist", tag: "Waitlist", summary: "Leave the line",
                  description: "Takes the entry out of the line; an offered place is let go and passes to the next. An entry already out of the line is 409 `illegal_transition`.",
                  permission: .bookingManageOrg,
                  parameters: [Parameter(name: "id", location: "path", required: true, description: "The entry's id.", schema: .token)],
                  status: 200, answer: "WaitlistEntry", errors: [401, 403, 404, 409, 429]),
        Operation(method: "POST", path: "/api/v1/booking-series", id: "createSeries", tag: "Series", summary: "Book a weekly series",
                  description: "Books `start` and its repeats every `interval` weeks at the same wall-clock time in the business's zone (across DST changes), for `count` occurrences (1 to \(SeriesRule.maximumCount)), until a date, or with neither: a standing reservation, booked up to the offer's booking horizon and kept booked ahead. Checked and written in one transaction: with `on_conflict` `fail` (default) one date that cannot be had books nothing (409 `slot_unavailable`, or 422 `invalid_start` for a date that is not bookable at all); with `skip` those dates are listed in `skipped`. With `preview` true, nothing is written and the answer (200) shows what would be booked and skipped.",
                  permission: .bookingCreate, body: ("SeriesRequest", true, #"{"offer":"consultation","start":"2026-12-01T15:00:00Z","customer":{"name":"Zed Racer","email":"zed@example.com"},"repeat":{"frequency":"weekly","count":10},"on_conflict":"skip"}"#),
                  status: 201, answer: "Series", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "GET", path: "/api/v1/booking-series/{id}", id: "getSeries", tag: "Series", summary: "A series' bookings",
                  description: "Every booking of the series in start order, cancelled ones included; `skipped` is empty.",
                  permission: .bookingViewOrg,
                  parameters: [Parameter(name: "id", location: "path", required: true, description: "The series' id.", schema: .token)],
                  status: 200, answer: "Series", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/booking-series/{id}/move", id: "moveSeries", tag: "Series",
                  summary: "Move this and the following occurrences",
                  description: "Moves the upcoming occurrence starting at `from` to `start`, and every later one by the same number of days to the same new wall-clock time (DST-safe), in one transaction: if one cannot move (taken: 409 `slot_unavailable`; not bookable: 422 `invalid_start`), none moves. To move one occurrence alone, reschedule that booking. `skipped` is empty.",
                  permission: .bookingManageOrg,
                  parameters: [Parameter(name: "id", location: "path", required: true, description: "The series' id.", schema: .token)],
                  body: ("SeriesMoveRequest", true, #"{"from":"2026-12-15T15:00:00Z","start":"2026-12-17T19:00:00Z"}"#),
                  status: 200, answer: "Series", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/booking-series/{id}/cancel", id: "cancelSeries", tag: "Series",
                  summary: "Cancel this and the following occurrences",
                  description: "Cancels the occurrence starting at `from` and every later one (every upcoming one without `from`), each refunded by the cancellation tiers, in one transaction, and ends the series. A `from` that is not the start of one of the series' bookings is 422.",
                  permission: .bookingManageOrg,
                  parameters: [Parameter(name: "id", location: "path", required: true, description: "The series' id.", schema: .token)],
                  body: ("SeriesCancelRequest", false, #"{"from":"2026-12-15T15:00:00Z"}"#),
                  status: 200, answer: "SeriesCancellation", errors: [400, 401, 403, 404, 413, 422, 429]),
    ] + webhookOperations + queueOperations + programOperations + catalogOperations

    static let webhookPath = Parameter(name: "id", location: "path", required: true, description: "The webhook's id (`wh_…`).", schema: .token)
    static let deliveryPath = Parameter(name: "delivery", location: "path", required: true,
                                        description: "The delivery's id (`dlv_…`, the `Bizing-Delivery` header).", schema: .token)
    static let eventNames = DomainEventType.allCases.map(\.rawValue)

    /// Webhooks (CONTRACT.md, "Webhooks"). Keys whose role may manage the business see every webhook;
    /// other keys see those they created, and their payloads are masked for their role.
    static let webhookOperations: [Operation] = [
        Operation(method: "POST", path: "/api/v1/webhooks", id: "createWebhook", tag: "Webhooks", summary: "Subscribe an endpoint",
                  description: "Subscribes a URL to events. The answer carries the signing `secret`, shown this once (an `Idempotency-Key` replay shows it again). Each delivery is a POST of `{\"id\",\"type\",\"created_at\",\"business\",\"data\":{\"booking\":{…}}}` (the booking as `GET /api/v1/bookings/{id}` shows it to this key) with headers `Bizing-Event`, `Bizing-Delivery` (the same on every retry) and `Bizing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>`. A 2xx within 10 s is delivered; anything else (a redirect is not followed) is retried with exponential backoff and jitter (the first retry within 30 s, at least 8 attempts over at least 24 h), then `failed`; an endpoint failing for 24 h is disabled. A URL that is not http(s), or whose host does not resolve or resolves to a loopback, private, link-local or metadata address, is 422 (unless the server allows private addresses).",
                  permission: .bookingViewOrg,
                  parameters: [idempotencyKey],
                  body: ("WebhookRequest", true, #"{"url":"https://example.com/bizing","events":["booking.created","booking.cancelled"]}"#),
                  status: 201, answer: "WebhookCreated", errors: [400, 401, 403, 413, 422, 429]),
        Operation(method: "GET", path: "/api/v1/webhooks", id: "listWebhooks", tag: "Webhooks", summary: "List webhooks",
                  description: "The webhooks this key may see, oldest first (never their secrets).",
                  permission: .bookingViewOrg, status: 200, answer: "WebhookList", errors: [401, 403, 429]),
        Operation(method: "DELETE", path: "/api/v1/webhooks/{id}", id: "deleteWebhook", tag: "Webhooks", summary: "Delete a webhook",
                  description: "Deletes the webhook with its deliveries; nothing more is sent to it.",
                  permission: .bookingViewOrg, parameters: [webhookPath], status: 204, answer: "", errors: [401, 403, 404, 429]),
        Operation(method: "GET", path: "/api/v1/webhooks/{id}/deliveries", id: "listWebhookDeliveries", tag: "Webhooks",
                  summary: "A webhook's deliveries",
                  description: "The 100 most recent deliveries, newest first. `sending` deliveries read as `pending`.",
                  permission: .bookingViewOrg, parameters: [webhookPath], status: 200, answer: "WebhookDeliveryList", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", id: "redeliverWebhook", tag: "Webhooks",
                  summary: "Deliver again",
                  description: "Sends the delivery again soon, with the same `Bizing-Delivery` and body (signed afresh). A webhook disabled after a day of failures is enabled again.",
                  permission: .bookingViewOrg, parameters: [webhookPath, deliveryPath], status: 202, answer: "Accepted", errors: [401, 403, 404, 429]),
    ]

    static func promoRequestFields(_ discount: (String, Schema)) -> [(String, Schema)] {
        [("kind", .string(enumeration: ["promo_code"])),
         ("code", .string(pattern: "^[A-Za-z0-9-]{3,40}$", maxLength: 40, description: "stored upper case")), discount,
         ("offers", .array(.slug, maxItems: 50)),
         ("valid_from", .string(format: "date", maxLength: 10, description: "first day it can be used (business time zone)")),
         ("valid_until", .string(format: "date", maxLength: 10, description: "last day, inclusive")),
         ("total_limit", .integer(minimum: 1, maximum: 1_000_000)), ("per_customer_limit", .integer(minimum: 1, maximum: 1_000_000))]
    }

    static let bookingExample = #"{"offer":"consultation","start":"2026-12-01T15:00:00Z","customer":{"name":"Zed Racer","email":"zed@example.com"}}"#

    // MARK: Errors

    static let errorCodes: [Int: (name: String, description: String, codes: [String])] = [
        400: ("BadRequest", "The body is not a JSON object, or the request line or query cannot be read.", ["bad_json", "bad_request"]),
        401: ("Unauthorized", "No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`).", ["unauthorized"]),
        403: ("Forbidden", "The key's role lacks the permission.", ["forbidden"]),
        404: ("NotFound", "No such offer, resource or booking in the key's business.", ["not_found"]),
        409: ("Conflict", "The time is taken, the hold expired, the booking cannot change that way, its payment has not succeeded yet, (joining a waitlist) the start still has room, no credit of the customer can pay (`redeem.credit`: none, used up or expired), a promo code already exists, a customer has no account, (publishing) there is no draft, or (a resource) the new capacity is below its upcoming bookings.",
              ["slot_unavailable", "hold_expired", "illegal_transition", "payment_required", "slot_available", "idempotency_in_progress", "queue_closed", "queue_empty",
               "credit_unavailable", "credit_expired", "code_taken", "no_account", "gift_card_empty", "gift_card_refused",
               "no_draft", "capacity_below_bookings"]),
        413: ("TooLarge", "The body is larger than 1 MiB.", ["body_too_large"]),
        422: ("Unprocessable", "A field is missing, unknown, of the wrong type or invalid; `field` names it.",
              ["validation_failed", "unknown_field", "invalid_start", "unknown_resource", "idempotency_mismatch", "unknown_code",
               "code_not_applicable", "code_used_up"]),
        503: ("PaymentsUnavailable", "Stripe could not be reached to ask for the payment; nothing was charged and the hold stays until it expires.",
              ["payments_unavailable"]),
        429: ("RateLimited", "Too many requests for this key; wait `Retry-After` seconds. Each key may send 100 requests a second with bursts of 100 unless the business set its own limit on the key's page.",
              ["rate_limited"]),
    ]

    // MARK: Schemas

    /// `per_night` and `per_day`: rentals by date (their terms price them).
    static let priceModels = ["fixed", "hourly", "per_person", "per_night", "per_day"]

    static let schemas: [(String, Schema)] = [
        ("Error", .object([("error", .object([("code", .string(description: "machine-readable, e.g. slot_unavailable")),
                                               ("message", .string(description: "a sentence a person can act on")),
                                               ("field", .string(nullable: true, description: "the field at fault"))],
                                              required: ["code", "message"]))], required: ["error"])),
        ("Price", .object([("amount", .money), ("currency", .string(pattern: "^[A-Z]{3}$")),
                           ("model", .string(enumeration: priceModels))], required: ["amount", "currency", "model"])),
        ("Offer", .object([("slug", .text), ("name", .text), ("mode", .string(enumeration: OfferMode.allCases.map(\.rawValue))),
                           ("duration_minutes", .integer(minimum: 1)), ("price", .ref("Price")),
                           ("seats", .integer(minimum: 1, description: "classes only"))],
                          required: ["slug", "name", "mode", "duration_minutes", "price"])),
        ("OfferList", .object([("offers", .array(.ref("Offer")))], required: ["offers"])),
        ("Slot", .object([("start", .time), ("end", .time), ("resources", .array(.text)), ("seats_left", .integer(minimum: 0))],
                         required: ["start", "end", "resources", "seats_left"])),
        ("SlotList", .object([("slots", .array(.ref("Slot"))),
                              ("days", .array(.ref("RentalDay")))], required: ["slots"])),
        ("RentalDay", .object([("date", .date), ("available", .boolean)], required: ["date", "available"],
                              description: "rentals by date: can a rental of the minimum length be picked up that day")),
        ("Explanation", .object([("bookable", .boolean), ("reasons", .array(.ref("Reason")))], required: ["bookable", "reasons"])),
        ("Reason", .object([("code", .string(enumeration: UnavailableReason.allCases.map(\.rawValue))),
                            ("resource", .string(nullable: true, description: "the resource's slug; null for a reason of the offer itself")),
                            ("message", .string(description: "a sentence a person can act on")),
                            ("booking", .string(nullable: true, description: "the booking holding the time, for owner, admin and manager keys"))],
                           required: ["code", "resource", "message", "booking"])),
        ("Resource", .object([("slug", .text), ("name", .text), ("kind", .string(enumeration: ResourceKind.allCases.map(\.rawValue))),
                              ("capacity", .integer(minimum: 1)), ("tags", .array(.text))],
                             required: ["slug", "name", "kind", "capacity", "tags"])),
        ("ResourceList", .object([("resources", .array(.ref("Resource")))], required: ["resources"])),
        ("Package", .object([("id", .integer(minimum: 1)), ("name", .text), ("credits", .integer(minimum: 1)), ("valid_days", .integer(minimum: 1)),
                             ("price", .object([("amount", .money), ("currency", .string(pattern: "^[A-Z]{3}$"))], required: ["amount", "currency"])),
                             ("shareable", .boolean), ("offers", .array(.slug))],
                            required: ["id", "name", "credits", "valid_days", "price", "shareable", "offers"])),
        ("PackageList", .object([("packages", .array(.ref("Package")))], required: ["packages"])),
        ("WalletMovement", .object([("kind", .string(enumeration: EntitlementMovementKind.allCases.map(\.rawValue))),
                                    ("credits", .integer(description: "signed: positive in, negative out")), ("at", .time)],
                                   required: ["kind", "credits", "at"])),
        ("WalletLot", .object([("id", .integer(minimum: 1)), ("package", .text), ("balance", .integer(minimum: 0)),
                               ("usable", .integer(minimum: 0)), ("expires_at", .time), ("offers", .array(.slug)),
                               ("movements", .array(.ref("WalletMovement")))],
                              required: ["id", "package", "balance", "usable", "expires_at", "offers", "movements"])),
        ("Wallet", .object([("email", .text), ("lots", .array(.ref("WalletLot")))], required: ["email", "lots"])),
        ("PackageProduct", .object([("kind", .string(enumeration: ["package"])), ("id", .integer(minimum: 1)), ("name", .text),
                                    ("credits", .integer(minimum: 1)), ("valid_days", .integer(minimum: 1)),
                                    ("price", .object([("amount", .money), ("currency", .string(pattern: "^[A-Z]{3}$"))], required: ["amount", "currency"])),
                                    ("shareable", .boolean), ("offers", .array(.slug))],
                                   required: ["kind", "id", "name", "credits", "valid_days", "price", "shareable", "offers"])),
        ("PromoCodeProduct", .object([("kind", .string(enumeration: ["promo_code"])), ("id", .integer(minimum: 1)), ("code", .text),
                                      ("percent_off", .integer(minimum: 1, maximum: 100, description: "percent codes only")),
                                      ("amount_off", .integer(minimum: 1, description: "amount codes only: minor units")),
                                      ("offers", .array(.slug)),
                                      ("valid_from", .string(format: "date", nullable: true)), ("valid_until", .string(format: "date", nullable: true)),
                                      ("total_limit", .integer(minimum: 1, nullable: true)), ("per_customer_limit", .integer(minimum: 1, nullable: true)),
                                      ("uses", .integer(minimum: 0))],
                                     required: ["kind", "id", "code", "offers", "valid_from", "valid_until", "total_limit", "per_customer_limit", "uses"])),
        ("GiftCardProduct", .object([("kind", .string(enumeration: ["gift_card"])), ("id", .integer(minimum: 1)), ("name", .text),
                                     ("price", .object([("amount", .integer(minimum: 1, description: "minor units: the card's value")),
                                                        ("currency", .string(pattern: "^[A-Z]{3}$"))], required: ["amount", "currency"]))],
                                    required: ["kind", "id", "name", "price"])),
        ("MembershipProduct", .object([("kind", .string(enumeration: ["membership"])), ("id", .integer(minimum: 1)), ("name", .text),
                                       ("price", .object([("amount", .money), ("currency", .string(pattern: "^[A-Z]{3}$"))], required: ["amount", "currency"])),
                                       ("credits", .integer(minimum: 1, maximum: 1000, description: "granted each month")),
                                       ("offers", .array(.slug)), ("rollover", .boolean), ("rollover_cap", .integer(minimum: 0, maximum: 1000)),
                                       ("discount_percent", .integer(minimum: 0, maximum: 100)), ("max_pause_months", .integer(minimum: 0, maximum: 12)),
                                       ("cancel_notice_days", .integer(minimum: 1, maximum: 365, nullable: true))],
                                      required: ["kind", "id", "name", "price", "credits", "offers", "rollover", "rollover_cap", "discount_percent",
                                                 "max_pause_months", "cancel_notice_days"])),
        ("Product", .oneOf([.ref("PackageProduct"), .ref("PromoCodeProduct"), .ref("GiftCardProduct"), .ref("MembershipProduct")],
                           description: "told apart by `kind`")),
        ("ProductList", .object([("products", .array(.ref("Product")))], required: ["products"])),
        ("PackageProductRequest", .object([("kind", .string(enumeration: ["package"])), ("name", .string(pattern: "\\S", maxLength: 120)),
                                           ("credits", .integer(minimum: 1, maximum: 1000)), ("valid_days", .integer(minimum: 1, maximum: 3660)),
                                           ("price", .integer(minimum: 0, maximum: 100_000_000, description: "minor units of the business's currency")),
                                           ("shareable", .boolean),
                                           ("offers", .array(.slug, minItems: 1, maxItems: 50))],
                                          required: ["kind", "name", "credits", "valid_days", "price", "offers"])),
        ("PercentPromoCodeRequest", .object(promoRequestFields(("percent_off", .integer(minimum: 1, maximum: 100))),
                                            required: ["kind", "code", "percent_off"])),
        ("AmountPromoCodeRequest", .object(promoRequestFields(("amount_off", .integer(minimum: 1, maximum: 100_000_000, description: "minor units"))),
                                           required: ["kind", "code", "amount_off"])),
        ("GiftCardProductRequest", .object([("kind", .string(enumeration: ["gift_card"])), ("name", .string(pattern: "\\S", maxLength: 120)),
                                            ("amount_off", .integer(minimum: 1, maximum: 100_000_000, description: "the card's value in minor units of the business's currency"))],
                                           required: ["kind", "name", "amount_off"])),
        ("MembershipProductRequest", .object([("kind", .string(enumeration: ["membership"])), ("name", .string(pattern: "\\S", maxLength: 120)),
                                              ("price", .integer(minimum: 0, maximum: 100_000_000, description: "a month, in minor units of the business's currency")),
                                              ("credits", .integer(minimum: 1, maximum: 1000, description: "granted each month")),
                                              ("offers", .array(.slug, minItems: 1, maxItems: 50)), ("rollover", .boolean),
                                              ("rollover_cap", .integer(minimum: 0, maximum: 1000, description: "above 0 only with `rollover` true")),
                                              ("discount_percent", .integer(minimum: 0, maximum: 100)), ("max_pause_months", .integer(minimum: 0, maximum: 12)),
                                              ("cancel_notice_days", .integer(minimum: 1, maximum: 365))],
                                             required: ["kind", "name", "price", "credits", "offers"])),
        ("ProductRequest", .oneOf([.ref("PackageProductRequest"), .ref("PercentPromoCodeRequest"), .ref("AmountPromoCodeRequest"),
                                   .ref("GiftCardProductRequest"), .ref("MembershipProductRequest")])),
        ("GrantRequest", .object([("product", .integer(minimum: 1, description: "a package's id"))], required: ["product"])),
        ("MembershipSignUpRequest", .object([("plan", .integer(minimum: 1, description: "a membership plan's id")),
                                             ("payment", .string(enumeration: ["at_venue", "cash"]))], required: ["plan"])),
        ("MembershipPauseRequest", .object([("months", .integer(minimum: 1, maximum: 120, description: "at most the plan's longest pause"))],
                                           required: ["months"])),
        ("CustomerWallet", .object([("credits", .array(.object([("id", .integer(minimum: 1)), ("product", .text),
                                                                  ("remaining", .integer(minimum: 1)), ("expires_at", .time)],
                                                                 required: ["id", "product", "remaining", "expires_at"]))),
                                    ("gift_cards", .array(.object([("code", .text), ("balance", .integer(minimum: 0, description: "minor units: the sum of the card's movements")),
                                                                   ("currency", .string(pattern: "^[A-Z]{3}$"))],
                                                                  required: ["code", "balance", "currency"]))),
                                    ("memberships", .array(.object([("id", .integer(minimum: 1)), ("product", .text),
                                                                    ("status", .string(enumeration: ["pending", "active", "paused", "ending", "ended", "suspended"])),
                                                                    ("next_renewal_at", .string(format: "date-time", nullable: true)),
                                                                    ("ends_at", .string(format: "date-time", nullable: true)),
                                                                    ("due", .integer(minimum: 0, description: "months started and not yet paid"))],
                                                                   required: ["id", "product", "status", "next_renewal_at", "ends_at", "due"])))],
                                   required: ["credits", "gift_cards", "memberships"])),
        ("OfferVersion", .object([("version", .integer(minimum: 1)), ("status", .string(enumeration: ["draft", "published"])),
                                  ("created_at", .time), ("published_at", .string(format: "date-time", nullable: true)),
                                  ("summary", .ref("VersionSummary"))],
                                 required: ["version", "status", "created_at", "published_at", "summary"])),
        ("VersionSummary", .object([("mode", .string(enumeration: OfferMode.allCases.map(\.rawValue))),
                                    ("duration_minutes", .object([("min", .integer(minimum: 1)), ("max", .integer(minimum: 1)),
                                                                  ("step", .integer(minimum: 1))], required: ["min", "max", "step"])),
                                    ("buffer_before_minutes", .integer(minimum: 0)), ("buffer_after_minutes", .integer(minimum: 0)),
                                    ("slot_interval_minutes", .integer(minimum: 1)), ("minimum_notice_minutes", .integer(minimum: 0)),
                                    ("maximum_advance_days", .integer(minimum: 1)), ("seats", .integer(minimum: 1)),
                                    ("hold_minutes", .integer(minimum: 1)), ("approval_required", .boolean), ("price", .ref("Price")),
                                    ("no_show_fee_percent", .integer(minimum: 0, maximum: 100)), ("reschedule_allowed", .boolean),
                                    ("cancellation_tiers", .integer(minimum: 0, description: "how many refund tiers")),
                                    ("questions", .array(.ref("IntakeQuestion"), maxItems: IntakeRules.maxQuestions))],
                                   required: ["mode", "duration_minutes", "buffer_before_minutes", "buffer_after_minutes",
                                              "slot_interval_minutes", "minimum_notice_minutes", "maximum_advance_days", "seats",
                                              "hold_minutes", "approval_required", "price", "no_show_fee_percent",
                                              "reschedule_allowed", "cancellation_tiers", "questions"])),
        ("IntakeQuestion", .object([("key", .string(pattern: answerKeyPattern, maxLength: IntakeRules.maxKeyLength)),
                                    ("kind", .string(enumeration: IntakeKind.allCases.map(\.rawValue))),
                                    ("label", .string(minLength: 1, maxLength: IntakeRules.maxLabelLength)),
                                    ("options", .array(.string(minLength: 1, maxLength: IntakeRules.maxOptionLength), maxItems: IntakeRules.maxOptions)),
                                    ("required", .boolean),
                                    ("sensitive", .boolean)],
                                   required: ["key", "kind", "label", "options", "required", "sensitive"],
                                   description: "A question asked at checkout; answer it in a booking's `answers` under its key. options: the choices of a `choice` question.")),
        ("OfferVersionList", .object([("offer", .text), ("versions", .array(.ref("OfferVersion")))], required: ["offer", "versions"])),
        ("Customer", .object([("name", .string(nullable: true, description: "masked (\"Z. R.\") or null for roles that may not see it")),
                              ("email", .string(nullable: true, description: "null for roles that may not see it")),
                              ("phone", .string(nullable: true, description: "null for roles that may not see it"))],
                             required: ["name", "email", "phone"],
                             description: "Keys of roles other than owner, admin and manager see the customer as a person of that role would.")),
        ("Line", .object([("label", .text), ("amount", .money)], required: ["label", "amount"])),
        ("BookingPrice", .object([("total", .money), ("amount", .money), ("currency", .string(pattern: "^[A-Z]{3}$")),
                                  ("model", .string(enumeration: priceModels)), ("deposit", .money), ("lines", .array(.ref("Line")))],
                                 required: ["total", "amount", "currency", "model", "deposit", "lines"])),
        ("Booking", .object([("id", .text), ("status", .string(enumeration: statusList)), ("offer", .text), ("start", .time),
                             ("end", .time), ("resources", .array(.text)), ("party_size", .integer(minimum: 1)),
                             ("customer", .ref("Customer")), ("price", .ref("BookingPrice")), ("paid", .money),
                             ("payment", .ref("Payment")),
                             ("expires_at", .string(format: "date-time", nullable: true, description: "holds only")),
                             ("created_at", .time),
                             ("manage_url", .string(format: "uri", description: "the customer's manage link (cancel, move, .ics), carrying their secret token; only in the answer that made the booking")),
                             ("answers", answersAnswer)],
                            required: ["id", "status", "offer", "start", "end", "resources", "party_size", "customer", "price", "paid",
                                       "payment", "created_at", "answers"])),
        ("Payment", .object([("status", .string(enumeration: PaymentStatus.allCases.map(\.rawValue))), ("amount_due_now", .money),
                             ("amount_paid", .money), ("amount_refunded", .money),
                             ("client_secret", .string(description: "the PaymentIntent's client secret, when the hold waits for its payment (Stripe.js confirms it)"))],
                            required: ["status", "amount_due_now", "amount_paid", "amount_refunded"],
                            description: "Money through Stripe, from the ledger. not_required: nothing is taken online (pay at the venue).")),
        ("BookingList", .object([("bookings", .array(.ref("Booking"))),
                                 ("next_cursor", .string(nullable: true, description: "null on the last page"))],
                                required: ["bookings", "next_cursor"])),
        ("Refund", .object([("amount", .money), ("currency", .string(pattern: "^[A-Z]{3}$")), ("percent", .integer(minimum: 0, maximum: 100))],
                           required: ["amount", "currency", "percent"])),
        ("Cancellation", .object([("id", .text), ("status", .string(enumeration: ["cancelled"])), ("refund", .ref("Refund")),
                                  ("booking", .ref("Booking"))], required: ["id", "status", "refund", "booking"])),
        ("BookingRequest", .object([
            ("offer", .string(maxLength: 60, description: "the offer's slug")),
            ("start", .string(format: "date-time", maxLength: 40, description: "RFC 3339 UTC, one of the available starts")),
            ("customer", .object([("name", .string(maxLength: 120)), ("email", .string(format: "email", maxLength: 254)),
                                  ("phone", .string(maxLength: 40))], required: ["name", "email"])),
            ("party_size", .integer(minimum: 1, maximum: 1000)),
            ("resources", .array(.string(maxLength: 60), maxItems: 5)),
            ("duration_minutes", .integer(minimum: 1, maximum: 525_600, description: "variable-length offers only")),
            ("notes", .string(maxLength: 2000)),
            ("start_date", .string(format: "date", maxLength: 10, description: "rentals by date: the pick-up date (business time zone), instead of start")),
            ("end_date", .string(format: "date", maxLength: 10, description: "rentals by date: the return date")),
            ("redeem", .object([("credit", .boolean), ("code", .string(minLength: 1, maxLength: 40))], required: [],
                               description: "pay with prepaid value: `{\"credit\": true}` uses one of the customer's credits valid for the offer (the account with the customer's email; the price becomes 0, a line of the breakdown names the package), `{\"code\": \"…\"}` applies a promo code (its discount is a price line) or, when no promo code is spelled so, a gift card of the business, which pays what its balance covers (a price line; the rest is paid online when the offer asks for it, else at the venue); either is taken before any payment is asked for. Not both (422). Refused: 409 `credit_unavailable` or `credit_expired` (field `redeem.credit`), 422 `unknown_code`, `code_not_applicable` or `code_used_up`, 409 `gift_card_empty` or `gift_card_refused` (field `redeem.code`); nothing is booked then. A cancellation gives a gift card back what the tiers refund, up to what it paid, before any card payment. A hold's credit or code use is given back when the hold lapses unpaid.")),
            ("answers", answersRequest),
            ("quantity", .integer(minimum: 1, maximum: RentalTerms.maxQuantity,
                                  description: "rentals by date only (with start_date and end_date; 422 otherwise): how many items of the asset, "
                                      + "each taking one unit of its capacity and priced for the whole period; default 1. More than are free "
                                      + "for the whole period: 409 slot_unavailable. The booking's party_size is this count")),
        ], required: ["offer", "customer"])),
        ("CancelRequest", .object([("reason", .string(maxLength: 500))], required: [])),
        ("DecisionRequest", .object([("reason", .string(maxLength: 500))], required: [])),
        ("WaitlistRequest", .object([
            ("offer", .string(maxLength: 60, description: "the offer's slug")),
            ("start", .string(format: "date-time", maxLength: 40, description: "RFC 3339 UTC, a bookable start that is full")),
            ("customer", .object([("name", .string(maxLength: 120)), ("email", .string(format: "email", maxLength: 254)),
                                  ("phone", .string(maxLength: 40))], required: ["name", "email"])),
            ("party_size", .integer(minimum: 1, maximum: 1000)),
        ], required: ["offer", "start", "customer"])),
        ("WaitlistEntry", .object([("id", .text), ("position", .integer(minimum: 0, description: "1 for the first still in line; 0 once out of it")),
                                   ("status", .string(enumeration: WaitlistEntry.Status.allCases.map(\.rawValue))), ("offer", .text),
                                   ("start", .time), ("party_size", .integer(minimum: 1)),
                                   ("hold_id", .string(description: "offered entries: the hold to confirm")),
                                   ("hold_expires_at", .string(format: "date-time", nullable: true, description: "offered entries")),
                                   ("claim_expires_at", .string(format: "date-time", nullable: true,
                                                                description: "offered entries: the end of the claim window (when the held place lapses, or a first-to-confirm offer closes); after it the place passes on")),
                                   ("customer", .ref("Customer"))],
                                  required: ["id", "position", "status", "offer", "start", "party_size", "customer"])),
        ("WaitlistEntryList", .object([("entries", .array(.ref("WaitlistEntry")))], required: ["entries"])),
        ("SeriesRequest", .object([
            ("offer", .string(maxLength: 60, description: "the offer's slug")),
            ("start", .string(format: "date-time", maxLength: 40, description: "RFC 3339 UTC: the first occurrence")),
            ("customer", .object([("name", .string(maxLength: 120)), ("email", .string(format: "email", maxLength: 254)),
                                  ("phone", .string(maxLength: 40))], required: ["name", "email"])),
            ("party_size", .integer(minimum: 1, maximum: 1000)),
            ("resources", .array(.string(maxLength: 60), maxItems: 5)),
            ("notes", .string(maxLength: 2000)),
            ("repeat", .object([("frequency", .string(enumeration: ["weekly"])),
                                ("interval", .integer(minimum: 1, maximum: SeriesRule.maximumIntervalWeeks, description: "weeks between occurrences; default 1")),
                                ("count", .integer(minimum: 1, maximum: SeriesRule.maximumCount)),
                                ("until", .string(format: "date", maxLength: 10, description: "last date (business time zone), inclusive; not with count"))],
                               required: ["frequency"])),
            ("on_conflict", .string(enumeration: ["fail", "skip"])),
            ("preview", .boolean),
        ], required: ["offer", "start", "customer", "repeat"])),
        ("Series", .object([("id", .string(nullable: true, description: "null for a preview")), ("bookings", .array(.ref("Booking"))),
                            ("skipped", .array(.object([("start", .time), ("reason", .string(enumeration: UnavailableReason.allCases.map(\.rawValue)))],
                                                       required: ["start", "reason"])))],
                           required: ["id", "bookings", "skipped"])),
        ("SeriesMoveRequest", .object([("from", .string(format: "date-time", maxLength: 40)), ("start", .string(format: "date-time", maxLength: 40))],
                                      required: ["from", "start"])),
        ("SeriesCancelRequest", .object([("from", .string(format: "date-time", maxLength: 40)), ("reason", .string(maxLength: 500))], required: [])),
        ("SeriesCancellation", .object([("id", .text), ("cancelled", .array(.ref("Booking")))], required: ["id", "cancelled"])),
        ("RescheduleRequest", .object([("start", .string(format: "date-time", maxLength: 40))], required: ["start"])),
        ("WebhookRequest", .object([
            ("url", .string(format: "uri", minLength: 1, maxLength: 2000, description: "http:// or https://; its host must resolve, and not to a loopback, private, link-local or metadata address")),
            ("events", .array(.string(enumeration: eventNames), minItems: 1, maxItems: eventNames.count)),
        ], required: ["url", "events"])),
        ("Webhook", .object([("id", .text), ("url", .text), ("events", .array(.string(enumeration: eventNames))),
                             ("status", .string(enumeration: ["active", "disabled"])), ("created_at", .time)],
                            required: ["id", "url", "events", "status", "created_at"])),
        ("WebhookCreated", .object([("id", .text), ("url", .text), ("events", .array(.string(enumeration: eventNames))),
                                    ("status", .string(enumeration: ["active", "disabled"])), ("created_at", .time),
                                    ("secret", .string(description: "the signing secret, shown only in this answer"))],
                                   required: ["id", "url", "events", "status", "created_at", "secret"])),
        ("WebhookList", .object([("webhooks", .array(.ref("Webhook")))], required: ["webhooks"])),
        ("WebhookDelivery", .object([("id", .text), ("event", .string(enumeration: eventNames)), ("event_id", .text),
                                     ("status", .string(enumeration: ["pending", "delivered", "failed"])), ("attempts", .integer(minimum: 0)),
                                     ("last_status_code", .integer(nullable: true, description: "null before an HTTP answer")),
                                     ("next_attempt_at", .string(format: "date-time", nullable: true, description: "null once delivered or failed")),
                                     ("created_at", .time)],
                                    required: ["id", "event", "event_id", "status", "attempts", "last_status_code", "next_attempt_at", "created_at"])),
        ("WebhookDeliveryList", .object([("deliveries", .array(.ref("WebhookDelivery")))], required: ["deliveries"])),
        ("Accepted", .object([("status", .string(enumeration: ["pending"]))], required: ["status"])),
        ("OpenAPIDocument", .anyObject),
    ] + queueSchemas + programSchemas + catalogSchemas

    static let bookingAnswerExample = #"""
        {"id":"bk_0123456789abcdef","status":"confirmed","offer":"consultation","start":"2026-12-01T15:00:00Z","end":"2026-12-01T15:30:00Z","resources":["dana-doctor"],"party_size":1,"customer":{"name":"Zed Racer","email":"zed@example.com","phone":""},"price":{"total":4000,"amount":4000,"currency":"USD","model":"fixed","deposit":0,"lines":[{"label":"Consultation","amount":4000}]},"paid":0,"payment":{"status":"not_required","amount_due_now":0,"amount_paid":0,"amount_refunded":0},"expires_at":null,"created_at":"2026-11-22T17:00:00Z"}
        """#

    // MARK: The document

    static func dictionary(_ schema: Schema) -> [String: Any] {
        switch schema {
        case .string(let format, let enumeration, let pattern, let minLength, let maxLength, let nullable, let description):
            var out: [String: Any] = ["type": nullable ? ["string", "null"] as Any : "string"]
            if let format { out["format"] = format }
            if let enumeration { out["enum"] = enumeration }
            if let pattern { out["pattern"] = pattern }
            if let minLength { out["minLength"] = minLength }
            if let maxLength { out["maxLength"] = maxLength }
            if let description { out["description"] = description }
            return out
        case .integer(let minimum, let maximum, let nullable, let description):
            var out: [String: Any] = ["type": nullable ? ["integer", "null"] as Any : "integer"]
            if let minimum { out["minimum"] = minimum }
            if let maximum { out["maximum"] = maximum }
            if let description { out["description"] = description }
            return out
        case .boolean:
            return ["type": "boolean"]
        case .array(let items, let minItems, let maxItems):
            var out: [String: Any] = ["type": "array", "items": dictionary(items)]
            if let minItems { out["minItems"] = minItems }
            if let maxItems { out["maxItems"] = maxItems }
            return out
        case .object(let properties, let required, let description):
            var out: [String: Any] = ["type": "object", "additionalProperties": false,
                                      "properties": Dictionary(uniqueKeysWithValues: properties.map { ($0.0, dictionary($0.1)) })]
            if !required.isEmpty { out["required"] = required }
            if let description { out["description"] = description }
            return out
        case .ref(let name):
            return ["$ref": "#/components/schemas/\(name)"]
        case .oneOf(let schemas, let description):
            var out: [String: Any] = ["oneOf": schemas.map(dictionary)]
            if let description { out["description"] = description }
            return out
        case .nullableRef(let name):
            return ["anyOf": [["$ref": "#/components/schemas/\(name)"], ["type": "null"]]]
        case .anyObject:
            return ["type": "object"]
        case .map(let values, let keyPattern, let maxProperties, let description):
            var out: [String: Any] = ["type": "object", "additionalProperties": dictionary(values),
                                      "propertyNames": ["pattern": keyPattern, "maxLength": IntakeRules.maxKeyLength],
                                      "maxProperties": maxProperties]
            if let description { out["description"] = description }
            return out
        }
    }

    /// A request object's optional properties also accept `null`, which the server reads as absent
    /// (`StrictJSON`), at every depth.
    static func nullableOptionals(_ object: [String: Any]) -> [String: Any] {
        guard var properties = object["properties"] as? [String: Any] else { return object }
        let required = Set(object["required"] as? [String] ?? [])
        for (name, value) in properties {
            guard var property = value as? [String: Any] else { continue }
            property = nullableOptionals(property)
            if !required.contains(name) {
                if let type = property["type"] as? String {
                    property["type"] = [type, "null"]
                } else if property["$ref"] != nil {
                    property = ["anyOf": [property, ["type": "null"]]]
                }
            }
            properties[name] = property
        }
        var out = object
        out["properties"] = properties
        return out
    }

    static func parse(_ json: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])) ?? NSNull()
    }

    /// Headers on every answer to a request with a valid key (IETF httpapi-ratelimit-headers), and
    /// `Retry-After` on a 429.
    static let rateLimitHeaders: [(String, String)] = [
        ("RateLimit-Limit", "Requests this key may send at once (its burst)."),
        ("RateLimit-Remaining", "Requests left in the burst after this one."),
        ("RateLimit-Reset", "Seconds until the burst is whole again."),
    ]

    static func headerRefs(retryAfter: Bool) -> [String: Any] {
        var names = rateLimitHeaders.map(\.0)
        if retryAfter { names.append("Retry-After") }
        return Dictionary(uniqueKeysWithValues: names.map { ($0, ["$ref": "#/components/headers/\($0)"] as [String: Any]) })
    }

    static func errorResponse(_ status: Int) -> [String: Any] {
        var response = errorResponseBody(status)
        if status == 429 { response["headers"] = headerRefs(retryAfter: true) }
        return response
    }

    static func errorResponseBody(_ status: Int) -> [String: Any] {
        let info = errorCodes[status]!
        return ["description": info.description + " Codes: " + info.codes.joined(separator: ", ") + ".",
                "content": ["application/json": [
                    "schema": ["$ref": "#/components/schemas/Error"],
                    "example": ["error": ["code": info.codes[0], "message": "A sentence explaining what to do."]],
                ]]]
    }

    static func operationDictionary(_ operation: Operation) -> [String: Any] {
        var out: [String: Any] = ["operationId": operation.id, "summary": operation.summary, "tags": [operation.tag],
                                  "description": operation.description
                                      + (operation.permission.map { " Requires the key's role to have `\($0.rawValue)`." } ?? "")]
        if !operation.authenticated { out["security"] = [[String: Any]]() }
        if let permission = operation.permission { out["x-permission"] = permission.rawValue }
        if !operation.allParameters.isEmpty {
            out["parameters"] = operation.allParameters.map { parameter in
                ["name": parameter.name, "in": parameter.location, "required": parameter.required,
                 "description": parameter.description, "schema": dictionary(parameter.schema)] as [String: Any]
            }
        }
        if let body = operation.body {
            out["requestBody"] = ["required": body.required,
                                  "content": ["application/json": ["schema": dictionary(.ref(body.schema)), "example": parse(body.example)]]]
        }
        var responses: [String: Any] = [:]
        var success: [String: Any] = ["schema": dictionary(.ref(operation.answer))]
        if operation.answer == "Booking" { success["example"] = parse(bookingAnswerExample) }
        var answer: [String: Any] = ["description": [201: "Created.", 202: "Accepted.", 204: "No content."][operation.status] ?? "OK."]
        if !operation.answer.isEmpty { answer["content"] = ["application/json": success] }
        if operation.authenticated { answer["headers"] = headerRefs(retryAfter: false) }
        responses[String(operation.status)] = answer
        for status in operation.allErrors {
            responses[String(status)] = ["$ref": "#/components/responses/\(errorCodes[status]!.name)"]
        }
        out["responses"] = responses
        return out
    }

    static func document() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.lowercased()] = operationDictionary(operation)
        }
        var responses: [String: Any] = [:]
        for (status, info) in errorCodes { responses[info.name] = errorResponse(status) }
        return [
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": ["title": "Bizing API", "version": "1.0.0",
                     "description": "Book, move and cancel bookings of one business. Send `Authorization: Bearer <key>`; a key acts for its own business only (anything else is 404) with its role's permissions. Times are RFC 3339 UTC; money is integer minor units plus currency; offers and resources are named by slug. Request bodies are strict JSON: unknown fields and wrong types are 422 naming the field."],
            "servers": [["url": "/"]],
            "security": [["bearer": [String]()]],
            "tags": [["name": "Meta"], ["name": "Catalog"], ["name": "Bookings"], ["name": "Webhooks"]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "An API key (bz_…) from the management pages or `bizing api-key create`."]],
                "schemas": Dictionary(uniqueKeysWithValues: schemas.map { name, schema in
                    (name, name.hasSuffix("Request") ? nullableOptionals(dictionary(schema)) : dictionary(schema))
                }),
                "responses": responses,
                "headers": Dictionary(uniqueKeysWithValues: (rateLimitHeaders + [("Retry-After", "Seconds to wait before the next request.")]).map {
                    ($0.0, ["description": $0.1, "schema": ["type": "integer", "minimum": 0]] as [String: Any])
                }),
            ],
        ]
    }

    /// The document as served (sorted keys, so it is byte-stable).
    static let json: [UInt8] = {
        var json = JSONWriter(capacity: 64 * 1024)
        json.value(any: document())
        return json.bytes
    }()
}
