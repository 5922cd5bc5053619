/// Field errors of one form: shown next to each field and listed, with links, in the summary at
/// the top of the page.
struct FormErrors: Sendable {
    struct Item: Sendable {
        /// The `id` of the input at fault (the summary links to `#id`).
        let field: String
        let message: String
    }

    private(set) var list: [Item] = []
    /// Each field's message by field name: templates show it next to its input
    /// (`{{#errors.messages.email}}…{{/errors.messages.email}}`).
    private(set) var messages: [String: String] = [:]
    /// Stored for the templates (they see stored properties only).
    private(set) var hasAny = false

    mutating func add(_ field: String, _ message: String) {
        guard messages[field] == nil else { return }
        list.append(Item(field: field, message: message))
        messages[field] = message
        hasAny = true
    }

    subscript(_ field: String) -> String? { messages[field] }

    var isEmpty: Bool { list.isEmpty }
}
