import BookingCore
import Foundation
import HTTPServer
import Store

extension QueueFailure {
    /// One status and sentence per failure, shared by the API and the pages.
    var webError: WebError {
        switch self {
        case .queueNotFound:
            WebError(.notFound, code: "not_found", "We could not find that queue. Check the link you were given.")
        case .ticketNotFound:
            WebError(.notFound, code: "not_found", "We could not find that ticket.")
        case .closed:
            WebError.conflict("queue_closed", "This queue is closed right now. Please come back during opening hours.")
        case .noneWaiting:
            WebError.conflict("queue_empty", "Nobody is waiting.")
        case .illegalMove(let from, let to):
            WebError.conflict("illegal_transition", "A ticket that is \(from.label) cannot become \(to.label).", field: "status")
        case .invalid(let field, let message):
            WebError.unprocessable("validation_failed", "\(field.replacingOccurrences(of: "_", with: " ").capitalizedFirst): \(message).",
                                   field: field)
        }
    }
}

extension TicketStatus {
    /// "waiting", "called", "being served", "done", "a no-show", "gone".
    var label: String {
        switch self {
        case .waiting: "waiting"
        case .called: "called"
        case .serving: "being served"
        case .done: "done"
        case .noShow: "a no-show"
        case .left: "gone"
        }
    }
}

extension QueueEstimator.Wait {
    /// "about 25–35 min", "less than 5 min".
    var text: String { high <= 5 ? "less than 5 min" : "about \(low)–\(high) min" }
}
