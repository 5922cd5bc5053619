import BookingCore
import Foundation
import HTTPServer
import Store

/// The intake questions of an offer (issue 19), on the offer's page: add, change and remove. Like
/// every edit of what is sold, each change is saved as the draft version (made from the draft, else
/// the published version); customers see it once the draft is published.
extension OfferHandlers {
    /// One question as the editor lists it, with its own change form.
    struct QuestionRow: Sendable {
        let key: String
        let index: Int
        let label: String
        let kindLabel: String
        let required: Bool
        let sensitive: Bool
        let optionsText: String
        let kinds: [Option]
        let editAction: String
        let removeAction: String
    }

    /// The "add a question" form: what was typed, kept after an error.
    struct QuestionForm: Sendable {
        var label = ""
        var key = ""
        var kinds = Option.list(OfferHandlers.questionKinds, selected: IntakeKind.shortText.rawValue)
        var optionsText = ""
        var required = false
        var sensitive = false
    }

    static let questionKinds = IntakeKind.allCases.map { ($0.rawValue, $0.label) }

    static func questionRows(_ questions: [IntakeQuestion], action: String) -> [QuestionRow] {
        questions.enumerated().map { index, question in
            QuestionRow(key: question.key, index: index, label: question.label, kindLabel: question.kind.label, required: question.required,
                        sensitive: question.sensitive, optionsText: question.options.joined(separator: "\n"),
                        kinds: Option.list(questionKinds, selected: question.kind.rawValue),
                        editAction: action + "/questions/" + PercentDecoding.encode(question.key),
                        removeAction: action + "/questions/" + PercentDecoding.encode(question.key) + "/remove")
        }
    }

    /// A question from the form's fields (`prefix` + `label`, `key`, `kind`, `options`, `required`,
    /// `sensitive`); `key` is kept when given (a change), else read or made from the words.
    static func parseQuestion(_ form: FormData, key fixedKey: String?, errors: inout FormErrors) -> IntakeQuestion? {
        let label = ManageInput.trimmed(form["question_label"])
        if label.isEmpty || label.count > IntakeRules.maxLabelLength {
            errors.add("question_label", "Write the question in 1 to \(IntakeRules.maxLabelLength) characters.")
        }
        var key = fixedKey ?? ManageInput.trimmed(form["question_key"]).lowercased()
        if key.isEmpty { key = IntakeRules.key(from: label) }
        if fixedKey == nil, !IntakeRules.isKey(key) {
            errors.add("question_key", "A key is 1 to \(IntakeRules.maxKeyLength) lower-case letters, digits or _, starting with a letter (like reason).")
        }
        guard let kind = IntakeKind(rawValue: form["question_kind"] ?? "") else {
            errors.add("question_kind", "Choose what kind of answer the question asks for.")
            return nil
        }
        let options = (form["question_options"] ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if kind == .choice, !(2...IntakeRules.maxOptions).contains(options.count) || Set(options).count != options.count
            || options.contains(where: { $0.count > IntakeRules.maxOptionLength }) {
            errors.add("question_options", "Write 2 to \(IntakeRules.maxOptions) different options, one a line, each up to \(IntakeRules.maxOptionLength) characters.")
        }
        guard errors.isEmpty else { return nil }
        return IntakeQuestion(key: key, label: label, kind: kind, required: form["question_required"] == "1",
                              sensitive: form["question_sensitive"] == "1", options: options)
    }

    /// `POST …/offers/{offer}/questions`: adds a question at the end of the draft's list.
    func addQuestion(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        let form = try context.form()
        var errors = FormErrors()
        var spec = editedSpec(loaded)
        if let question = Self.parseQuestion(form, key: nil, errors: &errors) {
            if spec.questions.contains(where: { $0.key == question.key }) {
                errors.add("question_key", "Another question already has the key “\(question.key)”. Choose another key.")
            } else if spec.questions.count >= IntakeRules.maxQuestions {
                errors.add("question_label", "An offer asks at most \(IntakeRules.maxQuestions) questions. Remove one first.")
            } else {
                spec.questions.append(question)
                return try saveQuestions(context, loaded, spec)
            }
        }
        var page = try detailPage(context, loaded)
        page.questionForm = QuestionForm(label: String((form["question_label"] ?? "").prefix(IntakeRules.maxLabelLength)),
                                         key: String((form["question_key"] ?? "").prefix(IntakeRules.maxKeyLength)),
                                         kinds: Option.list(Self.questionKinds, selected: form["question_kind"] ?? ""),
                                         optionsText: String((form["question_options"] ?? "").prefix(4000)),
                                         required: form["question_required"] == "1", sensitive: form["question_sensitive"] == "1")
        page.errors = errors
        return context.app.page("manage/offer", page, status: .unprocessable)
    }

    /// `POST …/offers/{offer}/questions/{key}`: changes the question's words, kind, options and flags.
    func editQuestion(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        let key = try context.parameter("key")
        var spec = editedSpec(loaded)
        guard let index = spec.questions.firstIndex(where: { $0.key == key }) else { throw WebError.notFound("There is no question with that key.") }
        var errors = FormErrors()
        guard let question = Self.parseQuestion(try context.form(), key: key, errors: &errors) else {
            var page = try detailPage(context, loaded)
            page.errors = errors
            return context.app.page("manage/offer", page, status: .unprocessable)
        }
        spec.questions[index] = question
        return try saveQuestions(context, loaded, spec)
    }

    /// `POST …/offers/{offer}/questions/{key}/remove`.
    func removeQuestion(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        let key = try context.parameter("key")
        var spec = editedSpec(loaded)
        guard spec.questions.contains(where: { $0.key == key }) else { throw WebError.notFound("There is no question with that key.") }
        spec.questions.removeAll { $0.key == key }
        return try saveQuestions(context, loaded, spec)
    }

    /// The spec a change starts from: the draft, else the published version.
    private func editedSpec(_ loaded: Loaded) -> OfferVersionSpec {
        (loaded.draft ?? loaded.published)?.spec
            ?? OfferVersionSpec(duration: .fixed(30), price: .fixed(Money(0, loaded.business.currency)), components: [])
    }

    private func saveQuestions(_ context: RequestContext, _ loaded: Loaded, _ spec: OfferVersionSpec) throws -> Response {
        do { try IntakeRules.check(spec.questions) } catch {
            throw WebError.unprocessable("validation_failed", error.message, field: error.field)
        }
        try context.app.database.saveOfferDraft(businessID: loaded.business.id, offerID: loaded.offer.id, spec: spec,
                                                actor: try context.actor(), now: context.instant)
        return .redirect(to: loaded.nav.base + "/offers/" + PercentDecoding.encode(loaded.offer.slug) + "?saved=1#questions-heading")
    }
}
