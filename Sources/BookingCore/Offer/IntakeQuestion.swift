import Foundation  // trimming only.

/// What kind of answer an intake question asks for.
public enum IntakeKind: String, Hashable, Sendable, Codable, CaseIterable {
    case shortText = "short_text"
    case longText = "long_text"
    /// One of the question's options.
    case choice
    /// "yes" or "no".
    case yesNo = "yes_no"
    /// A number: digits with an optional sign and decimal part.
    case number
    /// A calendar date, `YYYY-MM-DD`.
    case date

    /// The words the offer editor shows.
    public var label: String {
        switch self {
        case .shortText: "Short text"
        case .longText: "Long text"
        case .choice: "Choice"
        case .yesNo: "Yes or no"
        case .number: "Number"
        case .date: "Date"
        }
    }
}

/// A question an offer version asks at checkout (issue 19). Part of the version's spec: a published
/// version's questions never change, and a booking keeps the text it was asked (`IntakeAnswer`).
public struct IntakeQuestion: Hashable, Sendable, Codable {
    /// How the API names the answer (`"answers": {"reason": "…"}`) and the checkout field (`q_reason`).
    public var key: String
    /// The question as the customer reads it.
    public var label: String
    public var kind: IntakeKind
    public var required: Bool
    /// Masked like a booking's notes by the field-visibility policy: the front desk sees that an
    /// answer exists, the provider and managers read it.
    public var sensitive: Bool
    /// The choices of a `choice` question; empty for the other kinds.
    public var options: [String]

    public init(key: String, label: String, kind: IntakeKind, required: Bool = false, sensitive: Bool = false, options: [String] = []) {
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.sensitive = sensitive
        self.options = kind == .choice ? options : []
    }
}

/// An answer as frozen with a booking: the question as it was asked, and the normalised answer.
public struct IntakeAnswer: Hashable, Sendable, Codable {
    public var key: String
    public var question: String
    public var kind: IntakeKind
    public var sensitive: Bool
    public var answer: String

    public init(key: String, question: String, kind: IntakeKind, sensitive: Bool, answer: String) {
        self.key = key
        self.question = question
        self.kind = kind
        self.sensitive = sensitive
        self.answer = answer
    }

    /// The answer as a person reads it ("Yes" rather than "yes").
    public var display: String {
        switch kind {
        case .yesNo: answer == "yes" ? "Yes" : "No"
        default: answer
        }
    }
}

/// The rules of intake questions: what an owner may ask, what a customer's answer must be, and who
/// may read an answer. Pure; the Store and Web apply them.
public enum IntakeRules {
    public static let maxQuestions = 20
    public static let maxKeyLength = 40
    public static let maxLabelLength = 200
    public static let maxOptions = 20
    public static let maxOptionLength = 100
    public static let maxShortText = 200
    public static let maxLongText = 2000
    /// The longest answer of any kind (the API's schema bound).
    public static var maxAnswerLength: Int { maxLongText }

    /// Whether `key` can name a question: lower-case ASCII letters, digits and `_`, starting with a letter.
    public static func isKey(_ key: String) -> Bool {
        guard let first = key.first, first.isASCII, first.isLowercase, key.count <= maxKeyLength else { return false }
        return key.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    /// A key made from a question's words ("Reason for visit?" → "reason_for_visit").
    public static func key(from label: String) -> String {
        var key = Validation.slug(label, maxLength: maxKeyLength).replacingOccurrences(of: "-", with: "_")
        if let first = key.first, !first.isLetter { key = "q_" + key }
        return key.isEmpty ? "question" : String(key.prefix(maxKeyLength))
    }

    /// Checks the questions of a version as the owner wrote them; the first problem, with the field
    /// `questions[i].key|label|options`.
    public static func check(_ questions: [IntakeQuestion]) throws(ValidationError) {
        guard questions.count <= maxQuestions else {
            throw ValidationError(field: "questions", message: "Ask at most \(maxQuestions) questions.")
        }
        var keys: Set<String> = []
        for (i, question) in questions.enumerated() {
            guard isKey(question.key) else {
                throw ValidationError(field: "questions[\(i)].key",
                                      message: "A question's key is 1 to \(maxKeyLength) lower-case letters, digits or _, starting with a letter.")
            }
            guard keys.insert(question.key).inserted else {
                throw ValidationError(field: "questions[\(i)].key", message: "Two questions cannot share the key “\(question.key)”.")
            }
            let label = question.label.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...maxLabelLength).contains(label.unicodeScalars.count) else {
                throw ValidationError(field: "questions[\(i)].label", message: "Write the question in 1 to \(maxLabelLength) characters.")
            }
            if question.kind == .choice {
                let options = question.options
                guard (2...maxOptions).contains(options.count),
                      options.allSatisfy({ (1...maxOptionLength).contains($0.count) }), Set(options).count == options.count else {
                    throw ValidationError(field: "questions[\(i)].options",
                                          message: "A choice needs 2 to \(maxOptions) different options of up to \(maxOptionLength) characters each.")
                }
            }
        }
    }

    /// The answers to `questions` from what the customer sent (by key), normalised, in question
    /// order, with every problem by key. An empty optional answer is left out; a key that names no
    /// question is a problem of its own.
    public static func answers(_ raw: [String: String], to questions: [IntakeQuestion]) -> (answers: [IntakeAnswer], problems: [ValidationError]) {
        var answers: [IntakeAnswer] = [], problems: [ValidationError] = []
        let known = Set(questions.map(\.key))
        for key in raw.keys.sorted() where !known.contains(key) {
            problems.append(ValidationError(field: key, message: "There is no question “\(String(key.prefix(maxKeyLength)))” for this offer."))
        }
        for question in questions {
            let text = (raw[question.key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                if question.required { problems.append(ValidationError(field: question.key, message: missing(question))) }
                continue
            }
            switch normalise(text, for: question) {
            case .success(let value):
                answers.append(IntakeAnswer(key: question.key, question: question.label, kind: question.kind,
                                            sensitive: question.sensitive, answer: value))
            case .failure(let problem): problems.append(problem)
            }
        }
        return (answers, problems)
    }

    /// The sentence for a required question left empty.
    static func missing(_ question: IntakeQuestion) -> String {
        switch question.kind {
        case .choice, .yesNo: "Choose an answer to “\(question.label)”."
        case .date: "Enter a date for “\(question.label)”."
        case .number: "Enter a number for “\(question.label)”."
        case .shortText, .longText: "Answer “\(question.label)”."
        }
    }

    static func normalise(_ text: String, for question: IntakeQuestion) -> Result<String, ValidationError> {
        func fail(_ message: String) -> Result<String, ValidationError> { .failure(ValidationError(field: question.key, message: message)) }
        switch question.kind {
        case .shortText:
            guard text.unicodeScalars.count <= maxShortText else { return fail("Keep the answer to “\(question.label)” to \(maxShortText) characters or fewer.") }
            return .success(text)
        case .longText:
            guard text.unicodeScalars.count <= maxLongText else { return fail("Keep the answer to “\(question.label)” to 2,000 characters or fewer.") }
            return .success(text)
        case .choice:
            guard question.options.contains(text) else { return fail("Choose one of the answers listed for “\(question.label)”.") }
            return .success(text)
        case .yesNo:
            switch text.lowercased() {
            case "yes": return .success("yes")
            case "no": return .success("no")
            default: return fail("Answer “\(question.label)” with yes or no.")
            }
        case .number:
            guard isNumber(text) else { return fail("Enter a number for “\(question.label)”, like 3 or 2.5.") }
            return .success(text)
        case .date:
            guard let date = LocalDate(text) else { return fail("Enter a date for “\(question.label)” as YYYY-MM-DD, like 2026-12-01.") }
            return .success(date.description)
        }
    }

    /// Up to 12 digits with an optional leading `-` and up to 4 decimals.
    public static func isNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...12).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        if parts.count == 2 { return (1...4).contains(parts[1].count) && parts[1].allSatisfy { $0.isASCII && $0.isNumber } }
        return true
    }

    /// The API schema's pattern for `number` answers (kept with `isNumber`).
    public static let numberPattern = "^-?[0-9]{1,12}(\\.[0-9]{1,4})?$"

    /// Who may read an answer. Whoever sees the booking's customer at all (their name, even masked)
    /// reads an ordinary answer. A sensitive one follows the policy's `notes` field: full there
    /// reads it; otherwise the viewer sees only that an answer exists (masked), never nothing, so
    /// the front desk knows the question was answered.
    public static func visibility(role: Role, relation: BookingRelation, sensitive: Bool,
                                  policy: VisibilityPolicy = .default) -> Visibility {
        let seesCustomer = Masking.visibility(role: role, relation: relation, field: .name, policy: policy)
        guard seesCustomer != .hidden else { return .hidden }
        guard sensitive else { return .full }
        return Masking.visibility(role: role, relation: relation, field: .notes, policy: policy) == .full ? .full : .masked
    }

    /// The answers as `role` may see them: hidden ones left out, masked ones as "•••".
    public static func masked(_ answers: [IntakeAnswer], role: Role, relation: BookingRelation,
                              policy: VisibilityPolicy = .default) -> [MaskedAnswer] {
        answers.compactMap { answer -> MaskedAnswer? in
            switch visibility(role: role, relation: relation, sensitive: answer.sensitive, policy: policy) {
            case .hidden: nil
            case .masked: MaskedAnswer(key: answer.key, question: answer.question, value: maskedValue, withheld: true)
            case .full: MaskedAnswer(key: answer.key, question: answer.question, value: answer.display, raw: answer.answer)
            }
        }
    }

    public static let maskedValue = "•••"
}

/// An answer after masking: what a viewer may be shown.
public struct MaskedAnswer: Hashable, Sendable {
    public let key: String
    public let question: String
    /// The answer as shown ("Yes"), or "•••" when withheld.
    public let value: String
    /// The stored answer ("yes"); "•••" when withheld.
    public let raw: String
    /// The viewer sees only that an answer exists.
    public let withheld: Bool

    public init(key: String, question: String, value: String, raw: String? = nil, withheld: Bool = false) {
        self.key = key
        self.question = question
        self.value = value
        self.raw = raw ?? value
        self.withheld = withheld
    }
}
