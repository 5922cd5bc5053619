import BookingCore
import HTTPServer
import Store

/// The intake questions of a version as checkout fields (issue 19), in the GOV.UK error pattern:
/// each field named and identified `q_<key>`, its message above it, the value kept after an error.
struct IntakeField: Sendable {
    struct Option: Sendable {
        let id: String
        let value: String
        let label: String
        let checked: Bool
    }

    let id: String
    /// The form field's name (the same as `id`; the radios' options read it from here).
    let name: String
    let label: String
    let required: Bool
    let value: String
    let error: String?
    let isShortText: Bool
    let isLongText: Bool
    let isNumber: Bool
    let isDate: Bool
    /// Choice and yes/no questions: radios in a fieldset.
    let isRadios: Bool
    let options: [Option]
    let maxLength: Int

    /// The form field of a question.
    static func name(_ question: IntakeQuestion) -> String { "q_" + question.key }

    /// The fields of `questions` with the values sent (by key) and the errors found (by field id).
    static func fields(_ questions: [IntakeQuestion], values: [String: String] = [:], errors: FormErrors = FormErrors()) -> [IntakeField] {
        questions.map { question in
            let id = name(question)
            let value = String((values[question.key] ?? "").prefix(IntakeRules.maxLongText))
            let options: [(String, String)] = switch question.kind {
            case .yesNo: [("yes", "Yes"), ("no", "No")]
            case .choice: question.options.map { ($0, $0) }
            default: []
            }
            return IntakeField(
                id: id, name: id, label: question.label, required: question.required, value: value, error: errors[id],
                isShortText: question.kind == .shortText, isLongText: question.kind == .longText, isNumber: question.kind == .number,
                isDate: question.kind == .date, isRadios: question.kind == .choice || question.kind == .yesNo,
                options: options.enumerated().map { index, option in
                    Option(id: index == 0 ? id : "\(id)-\(index)", value: option.0, label: option.1,
                           checked: value.lowercased() == option.0.lowercased())
                },
                maxLength: question.kind == .longText ? IntakeRules.maxLongText : IntakeRules.maxShortText)
        }
    }

    /// What the form sent for each question, by key.
    static func sent(_ questions: [IntakeQuestion], form: FormData) -> [String: String] {
        var values: [String: String] = [:]
        for question in questions { values[question.key] = form[name(question)] ?? "" }
        return values
    }

    /// The checks of `IntakeRules` as field errors of the form.
    static func check(_ questions: [IntakeQuestion], values: [String: String], into errors: inout FormErrors) {
        for problem in IntakeRules.answers(values, to: questions).problems {
            errors.add("q_" + problem.field, problem.message)
        }
    }
}

/// Answers as a staff page or an email shows them, after masking.
struct AnswerLine: Sendable {
    let question: String
    let answer: String
    let withheld: Bool

    static func lines(_ answers: [MaskedAnswer]) -> [AnswerLine] {
        answers.map { AnswerLine(question: $0.question, answer: $0.withheld ? "Answered — withheld from your role" : $0.value,
                                 withheld: $0.withheld) }
    }
}
