import BookingCore
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
        guard let text = library.render(TemplateModel.wrap(model) as Any, withTemplate: Self.name(name)) else {
            preconditionFailure("no template named \(name)")
        }
        return text
    }
}

/// A view model as Mustache sees it. Left alone, swift-mustache looks up every `{{name}}` with a new
/// `Mirror` over the object, filtering all its fields and demangling their types each time — on a
/// page of 200 options that was three quarters of the request (see docs/benchmarks.md). Wrapped, an
/// object's stored properties are read into a dictionary once, on the first lookup, and its
/// structs and arrays are wrapped the same way, lazily. What templates see is unchanged: stored
/// properties by name, optionals unwrapped (a nil one is absent, so the lookup continues outward).
final class TemplateModel: MustacheParent {
    private let object: Any
    private var fields: [String: Any]?

    private init(_ object: Any) { self.object = object }

    func child(named name: String) -> Any? {
        if fields == nil {
            var table: [String: Any] = [:]
            for child in Mirror(reflecting: object).children {
                if let label = child.label, let value = Self.wrap(child.value) { table[label] = value }
            }
            fields = table
        }
        return fields?[name]
    }

    /// Structs and classes become `TemplateModel`s, arrays arrays of wrapped elements, optionals
    /// their value or nil; text, numbers, Booleans, dictionaries, types that are already Mustache
    /// parents (a `TemplateModel` too) and the rest stay as they are.
    static func wrap(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Int64, is Double, is Substring: return value
        // Types that tell Mustache themselves what they hold (`MustacheParent`, lambdas, custom
        // renderings) are left as they are.
        case is any MustacheParent, is MustacheLambda, is any MustacheCustomRenderable, is any MustacheCustomRepresentation: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { wrap($0.value) }
        // A typed identifier (a struct) is its bare number, as the templates have always seen it.
        case .struct: return (value as? any Identifier)?.rawValue ?? TemplateModel(value)
        case .class: return TemplateModel(value)
        case .collection: return mirror.children.map { wrap($0.value) as Any }
        default: return value
        }
    }
}
