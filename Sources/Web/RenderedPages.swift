import Foundation
import Synchronization

/// Whole pages rendered once per distinct page model and kept (issue 23: on the offer page and the
/// staff calendar, Mustache resolving each key through reflection and escaping character by
/// character was most of the request).
///
/// The key is the page model itself (every page model kept here is `Hashable`), with the template's
/// name: Mustache output depends on nothing else, so a kept page is exactly what rendering again
/// would give, and nothing has to be invalidated — any change of data shows as another model. Or it
/// is what the model is built from, when the model is a function of it alone (`StaffCalendar.Inputs`):
/// then a kept page is found before the model is built, and the key is cheaper to hash. The
/// one per-visitor value, the CSRF token, is never inside: the model carries `marker` in its place,
/// the kept HTML is split there and joined with the visitor's own token per request.
final class RenderedPages: Sendable {
    struct Key: Hashable, @unchecked Sendable {
        let template: String
        let model: AnyHashable
    }

    /// Stands for the CSRF token in a kept page (letters only: HTML escaping leaves it alone).
    static let marker = "BIZINGCSRFTOKENPLACE"

    private let kept = Mutex<[Key: [String]]>([:])
    private let limit: Int

    /// `limit` distinct pages at most; past it the table starts again empty.
    init(limit: Int = 500) { self.limit = limit }

    /// The page `template` renders for `model` (whose CSRF token is `marker`), with `csrf` put in.
    func html<Model: Hashable & Sendable>(_ template: String, _ model: Model, csrf: String, render: (Model) -> String) -> String {
        html(template, keyedBy: model, csrf: csrf) { render(model) }
    }

    /// The page `render` gives, kept under `key`: `key` must hold everything the page is made from
    /// (`render` a function of it alone, with `marker` for the CSRF token), as a page model does, or
    /// the inputs a page model is built from (`StaffCalendar.Inputs`: then a kept page costs neither).
    func html<Inputs: Hashable & Sendable>(_ template: String, keyedBy inputs: Inputs, csrf: String, render: () -> String) -> String {
        let key = Key(template: template, model: AnyHashable(inputs))
        let pieces: [String]
        if let found = kept.withLock({ $0[key] }) {
            pieces = found
        } else {
            pieces = render().components(separatedBy: Self.marker)
            kept.withLock { table in
                if table.count >= limit { table.removeAll(keepingCapacity: true) }
                table[key] = pieces
            }
        }
        return pieces.joined(separator: StaffCalendar.escape(csrf))
    }

    /// How many pages are kept (for tests).
    var count: Int { kept.withLock { $0.count } }
}
