/// Field errors of one form: shown next to each field and listed, with links, in the summary at
/// the top of the page.
struct FormErrors: Sendable {
    struct Item: Sendable {
        /// The `id` of the input at fault (the summary links to `#id`).
        let field: String
        let message: String
    }

    private(set) var list: [Item] = []
    /// Stored for the templates (they see stored properties only).
    private(set) var hasAny = false

    mutating func add(_ field: String, _ message: String) {
        guard self[field] == nil else { return }
        list.append(Item(field: field, message: message))
        hasAny = true
    }

    subscript(_ field: String) -> String? { list.first { $0.field == field }?.message }

    var isEmpty: Bool { list.isEmpty }
}
