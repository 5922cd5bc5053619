import BookingCore
import Store

/// `booking/business`: a business and its live offers.
struct BusinessPage: Sendable {
    struct OfferItem: Sendable {
        let name: String
        let description: String
        let duration: String
        let price: String
        let url: String
        let isClass: Bool
    }

    let layout: Layout
    let name: String
    let description: String
    /// Every location of the business (each shown with its address).
    let locations: [BusinessLocation]
    let offers: [OfferItem]
    let hasOffers: Bool
    /// "Resend my confirmation" (`ResendHandlers`).
    var resendURL: String?
    /// The business's packages and gift cards (`PurchasePages`), when it sells any.
    var productsURL: String?
}

/// `booking/slots`: one day of an offer's slots.
struct SlotsPage: Sendable, Hashable {
    struct Day: Sendable, Hashable {
        let weekday: String
        let date: String
        let url: String
        let current: Bool
        let past: Bool
    }

    struct Slot: Sendable, Hashable {
        let time: String
        let start: String
        let seatsLeft: Int?
        let seatsText: String?
        let partyID: String
        let isClass: Bool
        let label: String
    }

    struct Group: Sendable, Hashable {
        let heading: String
        let id: String
        let slots: [Slot]
    }

    struct Host: Sendable, Hashable {
        let slug: String
        let name: String
        let selected: Bool
    }

    let layout: Layout
    let businessName: String
    let businessURL: String
    let offerName: String
    let offerDescription: String
    let duration: String
    let price: String
    let zone: String
    let dateText: String
    let date: String
    let notice: String?
    let days: [Day]
    let previousWeekURL: String?
    let nextWeekURL: String
    /// The day's times as hold forms, already HTML (`RenderedSlotLists`).
    let slotListHTML: String
    let hasSlots: Bool
    /// Why the day has no times, in one sentence ("Closed on Sundays").
    let emptyReason: String?
    /// The day is fully booked: where a waitlist link belongs.
    let fullyBooked: Bool
    /// No day of the shown week has a time.
    let weekEmpty: Bool
    let nextAvailableURL: String?
    let nextAvailableText: String?
    let hosts: [Host]
    let hasHosts: Bool
    let anySelected: Bool
    let resource: String?
    let holdURL: String
    let pageURL: String
    let isClass: Bool
    /// The first slot's start (RFC 3339 UTC), for booking.js's note in the browser's time zone.
    let firstStart: String?
    /// Booked-up starts of the day, each with a "Join the waitlist" form.
    var full: [FullStart] = [] { didSet { hasFull = !full.isEmpty } }
    /// Stored (templates see stored properties only).
    var hasFull = false
    var waitlistURL = ""
    var customerName = ""
    var customerEmail = ""
    /// Variable-duration offers: the lengths a customer may choose (a select; times and price follow).
    var lengths: [Option] = []
    var hasLengths = false
    /// The chosen length in minutes, carried by each time's hold form.
    var chosenDuration: String?

    struct FullStart: Sendable, Hashable {
        let time: String
        let start: String
        let id: String
    }
}

/// `booking/checkout`.
struct CheckoutPage: Sendable {
    let layout: Layout
    let action: String
    let summary: OrderSummary
    let policy: String
    let holdUntil: String
    let holdUntilISO: String
    /// "10 minutes": the time left on the hold when the page was made (booking.js counts it down).
    let holdLeft: String
    let offerURL: String

    struct Member: Sendable {
        let id: String
        /// "Mia Parent (daughter)", or the name alone when no relationship was given.
        let label: String
        let checked: Bool
    }

    /// Who the booking is for: the signed-in user's household members.
    let members: [Member]
    let hasMembers: Bool
    let forSelf: Bool
    /// "A card is needed to book: $8.00 is taken now…" when the booking is paid online.
    let payNow: String?
    /// "Use 1 credit from 5-class pass (3 left, valid until …)" when a credit of the signed-in customer can pay.
    let credit: String?
    /// Why the customer's credits cannot pay for this booking (expired, used up), when they have some for it.
    let creditNote: String?
    var useCredit = false
    var promoCode = ""
    var name = ""
    var email = ""
    var phone = ""
    /// The customer's note to the business (the API's `notes`), up to 2,000 characters.
    var notes = ""
    /// The offer's intake questions (issue 19), with the values sent and their errors.
    var questions: [IntakeField] = []
    var errors = FormErrors()

    mutating func fail(_ errors: FormErrors) {
        self.errors = errors
    }
}

/// `booking/gone`: an expired (or already used) hold.
struct HoldGonePage: Sendable {
    let layout: Layout
    let heading: String
    let message: String
    let offerURL: String
    let offerName: String
}

/// `booking/booking`: a booking seen through its token or by its owner.
struct BookingPage: Sendable {
    let layout: Layout
    let id: String
    let summary: OrderSummary
    let status: String
    let isCancelled: Bool
    let refundGiven: String?
    let customerName: String
    let customerEmail: String
    let memberName: String?
    let policy: String
    let icsURL: String
    let canCancel: Bool
    let cancelAction: String
    let token: String?
    let refundNow: String
    let bookAgainURL: String
    let rescheduleURL: String?
    let rescheduleRefusal: String?
    let movedNotice: String?
    /// The series this booking is one of (issue 17), to see and change it with the others.
    var seriesURL: String?
    /// Where to join a virtual booking (issue 20): only once it is booked.
    let meetingLinks: [String]
    /// The customer's own intake answers (issue 19), with each question as it was asked.
    var answers: [AnswerLine] = []
    var hasAnswers = false
    /// A program booking's course (issue 17): its run and every session with its mark.
    var programRun: String?
    var programSessions: [ProgramSessionRow] = []
}

/// One session of a program booking as its customer sees it.
struct ProgramSessionRow: Sendable {
    let when: String
    let mark: String?
}

/// `booking/account`: the signed-in customer's bookings.
struct AccountBookingsPage: Sendable {
    struct Item: Sendable {
        let url: String
        let offerName: String
        let businessName: String
        let when: String
        let status: String
        let forName: String?
    }

    let layout: Layout
    let upcoming: [Item]
    let past: [Item]
    let hasUpcoming: Bool
    let hasPast: Bool
}

/// `booking/reschedule`: the free times a booking can move to, one day at a time.
struct ReschedulePage: Sendable {
    struct Slot: Sendable {
        let time: String
        let start: String
        let label: String
    }

    let layout: Layout
    let summary: OrderSummary
    let bookingURL: String
    let notice: String?
    let refusal: String?
    let canMove: Bool
    let action: String
    let pageURL: String
    let token: String?
    let date: String
    let today: String
    let dateText: String
    let previousDayURL: String?
    let nextDayURL: String
    let slots: [Slot]
    let hasSlots: Bool
    let nextAvailableURL: String?
    let nextAvailableText: String?
    /// A rental by date moves by its dates instead of a time (issue 21).
    var rental: RentalForm?

    struct RentalForm: Sendable {
        let pickUp: String
        let returnDate: String
        let today: String
    }
}
