import Foundation
import Mustache

/// Every Mustache file under `Templates/`, loaded synchronously once at start-up and named by its
/// path without extension, with `.` for `/` (`layouts.base`, `partials.header`, `home`): the
/// parser does not accept `/` in a closing tag. Swift code may name them with either. HTML-escaped
/// by default.
public struct Templates: Sendable {
    private let library: MustacheLibrary

    public enum LoadError: Error, CustomStringConvertible {
        case directoryMissing(String)
        case parse(name: String, error: any Error)

        public var description: String {
            switch self {
            case .directoryMissing(let dir): "templates directory not found: \(dir)"
            case .parse(let name, let error): "template \(name) does not parse: \(error)"
            }
        }
    }

    public init(directory: String) throws {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else {
            throw LoadError.directoryMissing(directory)
        }
        var library = MustacheLibrary()
        for case let relative as String in enumerator where relative.hasSuffix(".mustache") {
            let name = Self.name(String(relative.dropLast(".mustache".count)))
            let text = try String(contentsOfFile: root.path + "/" + relative, encoding: .utf8)
            do {
                try library.register(text, named: name)
            } catch {
                throw LoadError.parse(name: name, error: error)
            }
        }
        self.library = library
    }

    static func name(_ path: String) -> String { path.replacingOccurrences(of: "/", with: ".") }

    public func has(_ name: String) -> Bool { library.getTemplate(named: Self.name(name)) != nil }

    /// Renders `name` with `model`; a missing template is a programming error caught by tests.
    public func render(_ name: String, _ model: Any) -> String {
        guard let text = library.render(model, withTemplate: Self.name(name)) else {
            preconditionFailure("no template named \(name)")
        }
        return text
    }
}
