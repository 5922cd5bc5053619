import Foundation
import Mustache

/// The email templates, `Templates/email/<kind>.{subject,txt,html}.mustache`, loaded once.
/// Subjects and plain-text parts start with `{{% CONTENT_TYPE: TEXT}}` (no HTML escaping); the
/// HTML parts escape every value.
struct EmailTemplates: Sendable {
    private let library: MustacheLibrary

    enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case parse(name: String, error: any Error)

        var description: String {
            switch self {
            case .missing(let name): "email template missing: \(name)"
            case .parse(let name, let error): "email template \(name) does not parse: \(error)"
            }
        }
    }

    /// Loads every template of `directory` (the `Templates/email` folder) and checks each kind has its three parts.
    init(directory: String, kinds: [String]) throws {
        var library = MustacheLibrary()
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            do { try library.register(text, named: name) } catch { throw LoadError.parse(name: name, error: error) }
        }
        for kind in kinds {
            for part in ["subject", "txt", "html"] where library.getTemplate(named: "\(kind).\(part)") == nil {
                throw LoadError.missing("\(directory)/\(kind).\(part).mustache")
            }
        }
        self.library = library
    }

    /// The three parts of `kind` rendered with `model`; the subject on one line.
    func render(_ kind: String, _ model: Any) -> (subject: String, text: String, html: String) {
        let subject = library.render(model, withTemplate: "\(kind).subject") ?? ""
        let oneLine = subject.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        return (oneLine, library.render(model, withTemplate: "\(kind).txt") ?? "", library.render(model, withTemplate: "\(kind).html") ?? "")
    }
}
