import BookingCore
import Foundation
import HTTPServer

/// A JSON object read strictly: unknown fields are refused (naming them), and each field's type is
/// checked (naming the field). Errors are 422 `validation_failed` / 400 `bad_json` in the API shape.
struct StrictJSON {
    let object: [String: JSONBody]
    let path: String

    init(body: [UInt8], allowed: Set<String>) throws {
        guard !body.isEmpty else { throw WebError(.badRequest, code: "bad_json", "The request body must be a JSON object.") }
        let parsed: JSONBody
        do {
            parsed = try JSONBody.parse(body)
        } catch {
            throw WebError(.badRequest, code: "bad_json", "The request body is not valid JSON.")
        }
        guard case .object(let object) = parsed else {
            throw WebError(.badRequest, code: "bad_json", "The request body must be a JSON object.")
        }
        try self.init(object: object, allowed: allowed, path: "")
    }

    init(object: [String: JSONBody], allowed: Set<String>, path: String) throws {
        let unknown = Set(object.keys).subtracting(allowed).sorted()
        if let first = unknown.first {
            throw WebError.unprocessable("unknown_field", "Unknown field\(unknown.count > 1 ? "s" : ""): \(unknown.map { path + $0 }.joined(separator: ", ")).",
                                         field: path + first)
        }
        self.object = object
        self.path = path
    }

    private func present(_ name: String) -> JSONBody? {
        guard let value = object[name], value != .null else { return nil }
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

    /// A required RFC 3339 UTC time (at most 40 characters).
    func requiredInstant(_ name: String) throws -> Instant {
        guard let value = RFC3339.parse(try requiredString(name, maxLength: 40)) else {
            throw WebError.unprocessable("validation_failed", "\(path + name) must be an RFC 3339 UTC time like 2026-12-01T14:00:00Z.",
                                         field: path + name)
        }
        return value
    }

    func string(_ name: String, maxLength: Int = 1000) throws -> String? {
        guard let value = present(name) else { return nil }
        guard case .string(let text) = value else { throw wrongType(name, "a string") }
        // Counted as JSON Schema `maxLength` and SQLite `length()` count: code points, not grapheme clusters.
        guard text.unicodeScalars.count <= maxLength else { throw wrongType(name, "at most \(maxLength) characters") }
        return text
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = present(name) else { return nil }
        guard let number = value.integer else { throw wrongType(name, "an integer") }
        guard range.contains(number) else { throw wrongType(name, "between \(range.lowerBound) and \(range.upperBound)") }
        return number
    }

    /// Whether the body carries `name` with a value other than null.
    func has(_ name: String) -> Bool { present(name) != nil }

    func bool(_ name: String) throws -> Bool? {
        guard let value = present(name) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(name, "true or false") }
        return flag
    }

    func int64(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let value = present(name) else { return nil }
        guard let number = value.integer.map(Int64.init) else { throw wrongType(name, "an integer") }
        guard range.contains(number) else { throw wrongType(name, "between \(range.lowerBound) and \(range.upperBound)") }
        return number
    }

    func requiredInt(_ name: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = try int(name, in: range) else {
            throw WebError.unprocessable("validation_failed", "\(path + name) is required.", field: path + name)
        }
        return value
    }

    /// An array of objects, each read strictly (`name.0.field` in errors).
    func objectArray(_ name: String, maxCount: Int, allowed: Set<String>) throws -> [StrictJSON]? {
        guard let value = present(name) else { return nil }
        guard case .array(let array) = value else { throw wrongType(name, "an array of objects") }
        guard array.count <= maxCount else { throw wrongType(name, "at most \(maxCount) items") }
        return try array.enumerated().map { index, item in
            guard case .object(let object) = item else { throw wrongType(name, "an array of objects") }
            return try StrictJSON(object: object, allowed: allowed, path: path + name + ".\(index).")
        }
    }

    func stringArray(_ name: String, maxCount: Int) throws -> [String]? {
        guard let value = present(name) else { return nil }
        guard case .array(let array) = value else { throw wrongType(name, "an array of strings") }
        let strings = array.compactMap { item -> String? in if case .string(let text) = item { text } else { nil } }
        guard strings.count == array.count else { throw wrongType(name, "an array of strings") }
        guard strings.count <= maxCount else { throw wrongType(name, "at most \(maxCount) items") }
        return strings
    }

    /// An object of strings by key (intake answers): at most `maxCount` entries of at most `maxLength` characters.
    func stringMap(_ name: String, maxCount: Int, maxLength: Int) throws -> [String: String]? {
        guard let value = present(name) else { return nil }
        guard case .object(let object) = value else { throw wrongType(name, "an object of strings") }
        guard object.count <= maxCount else { throw wrongType(name, "an object of at most \(maxCount) entries") }
        var out: [String: String] = [:]
        for (key, item) in object.sorted(by: { $0.key < $1.key }) {
            guard case .string(let text) = item else { throw wrongType(name + "." + key, "a string") }
            guard text.unicodeScalars.count <= maxLength else { throw wrongType(name + "." + key, "at most \(maxLength) characters") }
            out[key] = text
        }
        return out
    }

    func object(_ name: String, allowed: Set<String>) throws -> StrictJSON? {
        guard let value = present(name) else { return nil }
        guard case .object(let object) = value else { throw wrongType(name, "an object") }
        return try StrictJSON(object: object, allowed: allowed, path: path + name + ".")
    }
}
