import Foundation
import HTTPServer

/// A JSON object read strictly: unknown fields are refused (naming them), and each field's type is
/// checked (naming the field). Errors are 422 `validation_failed` / 400 `bad_json` in the API shape.
struct StrictJSON {
    let object: [String: Any]
    let path: String

    init(body: [UInt8], allowed: Set<String>) throws {
        guard !body.isEmpty else { throw WebError(.badRequest, code: "bad_json", "The request body must be a JSON object.") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw WebError(.badRequest, code: "bad_json", "The request body is not valid JSON.")
        }
        guard let object = parsed as? [String: Any] else {
            throw WebError(.badRequest, code: "bad_json", "The request body must be a JSON object.")
        }
        try self.init(object: object, allowed: allowed, path: "")
    }

    init(object: [String: Any], allowed: Set<String>, path: String) throws {
        let unknown = Set(object.keys).subtracting(allowed).sorted()
        if let first = unknown.first {
            throw WebError.unprocessable("unknown_field", "Unknown field\(unknown.count > 1 ? "s" : ""): \(unknown.map { path + $0 }.joined(separator: ", ")).",
                                         field: path + first)
        }
        self.object = object
        self.path = path
    }

    private func present(_ name: String) -> Any? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        return value
    }

    private func wrongType(_ name: String, _ expected: String) -> WebError {
        .unprocessable("validation_failed", "\(path + name) must be \(expected).", field: path + name)
    }

    func requiredString(_ name: String, maxLength: Int = 1000) throws -> String {
        guard let value = try string(name, maxLength: maxLength) else {
            throw WebError.unprocessable("validation_failed", "\(path + name) is required.", field: path + name)
        }
        return value
    }

    func string(_ name: String, maxLength: Int = 1000) throws -> String? {
        guard let value = present(name) else { return nil }
        guard let text = value as? String else { throw wrongType(name, "a string") }
        // Counted as JSON Schema `maxLength` and SQLite `length()` count: code points, not grapheme clusters.
        guard text.unicodeScalars.count <= maxLength else { throw wrongType(name, "at most \(maxLength) characters") }
        return text
    }

    /// A JSON `true`/`false`. On Linux, Foundation's numbers 0 and 1 also answer `is Bool`, so an
    /// integer 1 was refused as "not an integer"; its booleans are the NSNumbers of type "c".
    static func isBoolean(_ value: Any) -> Bool {
        if let number = value as? NSNumber, type(of: value) != Bool.self { return String(cString: number.objCType) == "c" }
        return value is Bool
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = present(name) else { return nil }
        guard !Self.isBoolean(value), let number = value as? Int else { throw wrongType(name, "an integer") }
        guard range.contains(number) else { throw wrongType(name, "between \(range.lowerBound) and \(range.upperBound)") }
        return number
    }

    func stringArray(_ name: String, maxCount: Int) throws -> [String]? {
        guard let value = present(name) else { return nil }
        guard let array = value as? [Any], array.allSatisfy({ $0 is String }) else { throw wrongType(name, "an array of strings") }
        guard array.count <= maxCount else { throw wrongType(name, "at most \(maxCount) items") }
        return array.compactMap { $0 as? String }
    }

    func object(_ name: String, allowed: Set<String>) throws -> StrictJSON? {
        guard let value = present(name) else { return nil }
        guard let object = value as? [String: Any] else { throw wrongType(name, "an object") }
        return try StrictJSON(object: object, allowed: allowed, path: path + name + ".")
    }
}
