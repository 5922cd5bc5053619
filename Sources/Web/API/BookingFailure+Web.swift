import BookingCore
import Foundation
import HTTPServer
import Store

extension BookingFailure {
    /// One status and sentence per failure, shared by the API and the pages.
    var webError: WebError {
        switch self {
        case .businessNotFound:
            WebError.notFound("We could not find that business. Check the link you were given.")
        case .hostNotOffered(let slug):
            WebError.unprocessable("unknown_resource", "\(slug) does not offer this service.", field: "resource")
        case .notMovable(let reason):
            WebError.conflict("illegal_transition", reason.sentence, field: "status")
        case .idempotencyMismatch:
            WebError.unprocessable("idempotency_mismatch", "This Idempotency-Key was used with a different request body.",
                                   field: "Idempotency-Key")
        case .offerNotFound:
            WebError(.notFound, code: "not_found", "That service does not exist or is not bookable right now.")
        case .resourceNotFound(let slug):
            WebError.unprocessable("unknown_resource", "There is no resource called \(slug).", field: "resources")
        case .invalidStart(let reasons):
            WebError.unprocessable("invalid_start", "That is not a bookable time (\(Self.explain(reasons))). Pick one of the listed times.",
                                   field: "start")
        case .slotUnavailable(let reasons):
            WebError.conflict("slot_unavailable", "Sorry, that time was just taken (\(Self.explain(reasons))). Please pick another time.",
                              field: "start")
        case .orderNotFound:
            WebError(.notFound, code: "not_found", "We could not find that booking.")
        case .paymentRequired:
            WebError.conflict("payment_required", "This booking is confirmed once its payment succeeds. Complete the payment first.")
        case .holdExpired:
            WebError.conflict("hold_expired", "Your hold on this time has expired, so it was released. Please pick a time again.")
        case .illegalTransition(let transition):
            WebError.conflict("illegal_transition", transition.message.prefix(1).uppercased() + transition.message.dropFirst() + ".")
        case .tooEarly(let tooEarly):
            WebError.conflict("illegal_transition", tooEarly.message.capitalizedFirst + ".")
        case .slotAvailable:
            WebError.conflict("slot_available", "That time still has room: book it instead of joining the waitlist.", field: "start")
        case .waitlistEntryNotFound:
            WebError(.notFound, code: "not_found", "We could not find that waitlist entry.")
        case .seriesNotFound:
            WebError(.notFound, code: "not_found", "We could not find that booking series.")
        case .creditRefused(let refusal):
            WebError.conflict("credit_unavailable", WalletWords.refusal(refusal, ZoneClock(identifier: "UTC")!), field: "pay_with")
        case .promoRefused(let refusal):
            WebError.unprocessable("promo_code_refused", WalletWords.promo(refusal), field: "promo_code")
        case .giftCardRefused(let refusal):
            WebError.conflict("gift_card_refused", WalletWords.giftCard(refusal), field: "promo_code")
        case .tooManyHolds(let limit):
            WebError(.tooManyRequests, code: "too_many_holds",
                     "You are already holding \(limit) times here that are not booked yet. Finish booking one of them, or wait a few minutes for them to lapse, before holding another.")
        case .soldAsProgram:
            WebError.conflict("sold_as_program", "This class is sold as a whole course: enrol in one of its runs instead of booking one session.",
                              field: "offer")
        case .programNotFound:
            WebError(.notFound, code: "not_found", "We could not find that program, course or session.")
        case .programNeedsOnlinePayment:
            WebError.conflict("program_payment_unsupported",
                              "This course takes its payment online, and courses cannot be paid for online yet. Please contact the business to enrol.",
                              field: "run")
        case .makeupRefused(let refusal):
            WebError.conflict("makeup_refused", refusal.sentence.sentence, field: "session")
        case .tooManyHoldsForEmail(let limit):
            WebError(.tooManyRequests, code: "too_many_holds",
                     "This email address already has \(limit) times held or waiting for approval here. Finish or cancel one of them, or wait for the holds to lapse, before asking for another.",
                     field: "email")
        case .invalid(let field, let message):
            WebError.unprocessable("validation_failed", "\(field.replacingOccurrences(of: "_", with: " ").capitalizedFirst): \(message).",
                                   field: field)
        }
    }

    /// The API's answer: like `webError`, but a refused `redeem` names the body's field and says
    /// why in its code (the pages name their own inputs).
    var apiWebError: WebError {
        switch self {
        case .creditRefused(let refusal):
            let code = if case .expired = refusal { "credit_expired" } else { "credit_unavailable" }
            return WebError.conflict(code, WalletWords.refusal(refusal, ZoneClock(identifier: "UTC")!), field: "redeem.credit")
        case .promoRefused(let refusal):
            let code = switch refusal {
            case .unknown: "unknown_code"
            case .notForOffer, .notYet, .ended: "code_not_applicable"
            case .usedUp, .usedByCustomer: "code_used_up"
            }
            return WebError.unprocessable(code, WalletWords.promo(refusal).replacingOccurrences(of: ", or leave it empty", with: ""),
                                          field: "redeem.code")
        case .giftCardRefused(let refusal):
            let code = if case .empty = refusal { "gift_card_empty" } else { "gift_card_refused" }
            return WebError.conflict(code, WalletWords.giftCard(refusal), field: "redeem.code")
        default:
            return webError
        }
    }

    static func explain(_ reasons: [UnavailableReason]) -> String {
        reasons.map(\.phrase).joined(separator: ", ")
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
    /// Capitalised, ending with one full stop.
    var sentence: String { capitalizedFirst + (hasSuffix(".") ? "" : ".") }
}
