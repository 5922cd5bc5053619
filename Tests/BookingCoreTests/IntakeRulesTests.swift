import BookingCore
import Testing

/// Intake questions (issue 19): what an answer must be, and who may read it.
struct IntakeRulesTests {
    static let questions = [
        IntakeQuestion(key: "reason", label: "Reason?", kind: .shortText, required: true, sensitive: true),
        IntakeQuestion(key: "history", label: "History", kind: .longText),
        IntakeQuestion(key: "size", label: "Size", kind: .choice, options: ["S", "M", "L"]),
        IntakeQuestion(key: "first", label: "First visit?", kind: .yesNo, required: true),
        IntakeQuestion(key: "weight", label: "Weight", kind: .number),
        IntakeQuestion(key: "born", label: "Born", kind: .date),
    ]

    @Test func validAnswersAreNormalisedInQuestionOrderAndEmptyOptionalOnesLeftOut() {
        let checked = IntakeRules.answers(["first": "YES", "reason": "  Knee  ", "weight": "-72.5", "born": "1990-02-28", "history": ""],
                                          to: Self.questions)
        #expect(checked.problems.isEmpty)
        #expect(checked.answers.map(\.key) == ["reason", "first", "weight", "born"])
        #expect(checked.answers.map(\.answer) == ["Knee", "yes", "-72.5", "1990-02-28"])
        #expect(checked.answers[1].display == "Yes")
        #expect(checked.answers[0].sensitive && checked.answers[0].question == "Reason?")
    }

    @Test func eachProblemNamesItsKey() {
        let checked = IntakeRules.answers(["size": "XL", "weight": "1e3", "born": "1990-02-30", "history": String(repeating: "a", count: 2001),
                                           "extra": "?"], to: Self.questions)
        #expect(Set(checked.problems.map(\.field)) == ["extra", "reason", "size", "first", "weight", "born", "history"])
        #expect(IntakeRules.answers(["reason": String(repeating: "é", count: 201), "first": "no"], to: Self.questions).problems.map(\.field) == ["reason"])
    }

    @Test func numbersAreDigitsWithAnOptionalSignAndUpToFourDecimals() {
        for good in ["0", "-3", "12.5", "123456789012", "1.2345"] { #expect(IntakeRules.isNumber(good), "\(good)") }
        for bad in ["", "-", "1.", ".5", "1.23456", "1234567890123", "1,5", "+1", "١٢"] { #expect(!IntakeRules.isNumber(bad), "\(bad)") }
    }

    @Test func theOwnersQuestionsAreChecked() throws {
        try IntakeRules.check(Self.questions)
        #expect(throws: ValidationError.self) {
            try IntakeRules.check([IntakeQuestion(key: "Reason", label: "x", kind: .shortText)])
        }
        #expect(throws: ValidationError.self) {
            try IntakeRules.check([IntakeQuestion(key: "a", label: "x", kind: .shortText), IntakeQuestion(key: "a", label: "y", kind: .date)])
        }
        #expect(throws: ValidationError.self) {
            try IntakeRules.check([IntakeQuestion(key: "a", label: "x", kind: .choice, options: ["only"])])
        }
        #expect(IntakeRules.key(from: "Have you been here before?") == "have_you_been_here_before")
        #expect(IntakeRules.key(from: "2 questions") == "q_2_questions")
    }

    @Test func sensitiveAnswersFollowTheNotesPolicyAndTheFrontDeskSeesOnlyThatOneExists() {
        typealias V = Visibility
        #expect(IntakeRules.visibility(role: .staff, relation: .other, sensitive: true) == V.masked)
        #expect(IntakeRules.visibility(role: .staff, relation: .other, sensitive: false) == V.full)
        #expect(IntakeRules.visibility(role: .provider, relation: .assigned, sensitive: true) == V.full)
        #expect(IntakeRules.visibility(role: .provider, relation: .other, sensitive: true) == V.hidden)
        #expect(IntakeRules.visibility(role: .owner, relation: .other, sensitive: true) == V.full)
        #expect(IntakeRules.visibility(role: .client, relation: .other, sensitive: false) == V.hidden)
        #expect(IntakeRules.visibility(role: .client, relation: .own, sensitive: true) == V.full)
        // An owner who lets the front desk read notes lets it read sensitive answers; one who hides
        // a manager's notes withholds them.
        let open = VisibilityPolicy(overrides: [.staff: [.notes: .full], .manager: [.notes: .hidden]])
        #expect(IntakeRules.visibility(role: .staff, relation: .other, sensitive: true, policy: open) == V.full)
        #expect(IntakeRules.visibility(role: .manager, relation: .other, sensitive: true, policy: open) == V.masked)
        let answers = [IntakeAnswer(key: "reason", question: "Reason?", kind: .shortText, sensitive: true, answer: "Knee")]
        let masked = IntakeRules.masked(answers, role: .staff, relation: .other)
        #expect(masked.map(\.raw) == [IntakeRules.maskedValue] && masked[0].withheld)
    }

    @Test func theRetentionCutoffIsTheSameDayMonthsEarlierOrTheMonthsLastDay() {
        #expect(RetentionRules.cutoffDate(today: LocalDate("2027-12-31")!, months: 12) == LocalDate("2026-12-31"))
        #expect(RetentionRules.cutoffDate(today: LocalDate("2027-03-31")!, months: 1) == LocalDate("2027-02-28"))
        #expect(RetentionRules.cutoffDate(today: LocalDate("2028-03-31")!, months: 1) == LocalDate("2028-02-29"))
        #expect(RetentionRules.cutoffDate(today: LocalDate("2027-01-15")!, months: 13) == LocalDate("2025-12-15"))
    }
}
