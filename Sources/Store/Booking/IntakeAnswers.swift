import BookingCore
import Foundation
import GRDB

/// Intake answers on orders (migration 0140): checked against the version's questions and frozen,
/// with the question text as asked, in `booking_orders.intake_answers` by every writer of customer
/// details (a booking, checkout, the payment and card steps).
enum IntakeAnswers {
    static func decode(_ json: String) throws -> [IntakeAnswer] {
        json == "[]" ? [] : try JSONDecoder().decode([IntakeAnswer].self, from: Data(json.utf8))
    }

    /// The JSON to store for the answers `customer` sent to `spec`'s questions, or nil when this step
    /// asked none (`answers` nil: a web hold, a walk-in). A missing required answer, an unknown key
    /// or a malformed answer is `BookingFailure.invalid` with the question's key as the field.
    static func stored(_ customer: CustomerDetails, spec: OfferVersionSpec) throws -> String? {
        guard let raw = customer.answers else { return nil }
        let checked = IntakeRules.answers(raw, to: spec.questions)
        if let problem = checked.problems.first {
            // BookingFailure's messages are phrases the pages and the API finish ("Reason: answer “…”.").
            var phrase = problem.message.hasSuffix(".") ? String(problem.message.dropLast()) : problem.message
            phrase = phrase.prefix(1).lowercased() + phrase.dropFirst()
            throw BookingFailure.invalid(field: problem.field, message: phrase)
        }
        return try SpecRow.json(checked.answers)
    }

    /// Writes the answers on the order when this step asked them.
    static func record(_ db: Database, businessID: BusinessID, orderID: BookingID, customer: CustomerDetails, spec: OfferVersionSpec) throws {
        guard let json = try stored(customer, spec: spec) else { return }
        try db.cachedStatement(sql: "UPDATE booking_orders SET intake_answers = ? WHERE business_id = ? AND id = ?")
            .execute(arguments: [json, businessID, orderID])
    }
}
