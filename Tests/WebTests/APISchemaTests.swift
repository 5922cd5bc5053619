import BookingCore
import Foundation
import HTTPServer
import Testing
import TestSupport
@testable import Web

/// A JSON value decoded exactly (booleans and integers kept apart).
indirect enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    static func parse(_ bytes: [UInt8]) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) }

    subscript(key: String) -> JSONValue? { if case .object(let object) = self { object[key] } else { nil } }
    var string: String? { if case .string(let text) = self { text } else { nil } }
    var int: Int64? { if case .int(let number) = self { number } else { nil } }
    var array: [JSONValue]? { if case .array(let array) = self { array } else { nil } }
    var object: [String: JSONValue]? { if case .object(let object) = self { object } else { nil } }
    var strings: [String]? { array?.compactMap(\.string) }
}

/// A small JSON Schema checker for the subset the OpenAPI document uses: $ref to
/// #/components/schemas, type (one or a list), required, properties, additionalProperties (false or a schema),
/// propertyNames, maxProperties,
/// items, enum, minimum/maximum, maxLength, maxItems, pattern, format date-time.
struct APISchemaChecker {
    let document: JSONValue

    var schemas: [String: JSONValue] { document["components"]?["schemas"]?.object ?? [:] }

    /// Records an issue unless the document states `reply`'s status for the operation (`method`,
    /// OpenAPI `template`) and its body matches that status's schema.
    func expectDocumented(_ method: String, _ template: String, _ reply: RawHTTPClient.Reply, json: JSONValue,
                          sourceLocation: SourceLocation) {
        if let schema = responseSchema(method: method, path: template, status: reply.status) {
            let problems = problems(json, schema)
            #expect(problems.isEmpty, "\(method) \(template) → \(reply.status): \(problems)", sourceLocation: sourceLocation)
        } else if reply.status == 204, document["paths"]?[template]?[method.lowercased()]?["responses"]?["204"] != nil {
            #expect(reply.body.isEmpty, "\(method) \(template) → 204 with a body", sourceLocation: sourceLocation)
        } else {
            Issue.record("\(method) \(template) answered an undocumented \(reply.status): \(reply.text)", sourceLocation: sourceLocation)
        }
    }

    /// Problems of `value` against `schema` (empty when valid), each with its JSON path.
    func problems(_ value: JSONValue, _ schema: JSONValue, path: String = "$") -> [String] {
        if let ref = schema["$ref"]?.string {
            guard let target = schemas[String(ref.dropFirst("#/components/schemas/".count))] else { return ["\(path): unresolved \(ref)"] }
            return problems(value, target, path: path)
        }
        if let options = schema["anyOf"]?.array {
            return options.contains { problems(value, $0, path: path).isEmpty } ? [] : ["\(path): \(value) matches none of anyOf"]
        }
        var out: [String] = []
        if let branches = schema["oneOf"]?.array {
            let matching = branches.filter { problems(value, $0, path: path).isEmpty }.count
            if matching != 1 { out.append("\(path): matches \(matching) of its oneOf schemas, not exactly one") }
        }
        let types = schema["type"]?.strings ?? schema["type"]?.string.map { [$0] } ?? []
        if !types.isEmpty, !types.contains(where: { Self.matches(value, type: $0) }) {
            return ["\(path): \(value) is not \(types.joined(separator: "|"))"]
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) { out.append("\(path): \(value) not in enum") }
        if case .string(let text) = value {
            if let max = schema["maxLength"]?.int, text.count > max { out.append("\(path): longer than \(max)") }
            if let pattern = schema["pattern"]?.string, text.range(of: pattern, options: .regularExpression) == nil {
                out.append("\(path): \(text) does not match \(pattern)")
            }
            if schema["format"]?.string == "date-time", ISO8601DateFormatter().date(from: text) == nil {
                out.append("\(path): \(text) is not a date-time")
            }
        }
        if case .int(let number) = value {
            if let min = schema["minimum"]?.int, number < min { out.append("\(path): \(number) < \(min)") }
            if let max = schema["maximum"]?.int, number > max { out.append("\(path): \(number) > \(max)") }
        }
        if case .object(let object) = value {
            let properties = schema["properties"]?.object ?? [:]
            for name in schema["required"]?.strings ?? [] where object[name] == nil { out.append("\(path): missing \(name)") }
            if schema["additionalProperties"] == .bool(false) {
                for name in object.keys where properties[name] == nil { out.append("\(path): undocumented field \(name)") }
            }
            // A map (intake answers): every other field against `additionalProperties`, its name against `propertyNames`.
            if let values = schema["additionalProperties"], values.object != nil {
                for (name, child) in object where properties[name] == nil {
                    out += problems(child, values, path: "\(path).\(name)")
                    if let names = schema["propertyNames"] { out += problems(.string(name), names, path: "\(path) key \(name)") }
                }
            }
            if let max = schema["maxProperties"]?.int, object.count > max { out.append("\(path): more than \(max) fields") }
            for (name, property) in properties {
                if let child = object[name] { out += problems(child, property, path: "\(path).\(name)") }
            }
        }
        if case .array(let array) = value {
            if let max = schema["maxItems"]?.int, array.count > max { out.append("\(path): more than \(max) items") }
            if let items = schema["items"] {
                for (index, item) in array.enumerated() { out += problems(item, items, path: "\(path)[\(index)]") }
            }
        }
        return out
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("string", .string), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double),
             ("array", .array), ("object", .object): true
        default: false
        }
    }

    /// The schema a documented answer of `method path` with `status` must match (nil: undocumented).
    func responseSchema(method: String, path: String, status: Int) -> JSONValue? {
        guard var response = document["paths"]?[path]?[method.lowercased()]?["responses"]?[String(status)] else { return nil }
        if let ref = response["$ref"]?.string {
            guard let target = document["components"]?["responses"]?[String(ref.dropFirst("#/components/responses/".count))] else { return nil }
            response = target
        }
        return response["content"]?["application/json"]?["schema"]
    }
}

struct APISchemaTests {
    let checker = APISchemaChecker(document: try! JSONValue.parse(Array(#"""
        {"components":{"schemas":{"A":{"type":"object","additionalProperties":false,"required":["n"],
         "properties":{"n":{"type":"integer","minimum":1},"s":{"type":["string","null"],"enum":["x",null]},"l":{"type":"array","items":{"type":"boolean"}}}}}}}
        """#.utf8)))

    @Test func theCheckerAcceptsValidAndNamesEveryProblem() throws {
        let ref = try JSONValue.parse(Array(##"{"$ref":"#/components/schemas/A"}"##.utf8))
        #expect(checker.problems(try JSONValue.parse(Array(#"{"n":2,"s":null,"l":[true]}"#.utf8)), ref).isEmpty)
        let bad = checker.problems(try JSONValue.parse(Array(#"{"n":0,"s":"y","l":[1],"extra":true}"#.utf8)), ref)
        #expect(bad.count == 4, "\(bad)")
        #expect(!checker.problems(try JSONValue.parse(Array(#"{"n":true}"#.utf8)), ref).isEmpty)
        #expect(!checker.problems(try JSONValue.parse(Array(#"{}"#.utf8)), ref).isEmpty)
    }
}

/// API routes declare their key and permission in the route table, like HTML routes do, so no
/// handler can forget to check them.
struct APIRouteRequirementTests {
    @Test func everyAPIEndpointButTheDocumentRequiresAKeyInTheRouteTable() throws {
        let router = App.routeTable().router
        var checked = 0
        for (method, pattern) in router.routes where pattern.hasPrefix("/api/v1/") && pattern != "/api/v1/openapi.json" {
            let path = pattern.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "x" : String($0) }.joined(separator: "/")
            guard case .found(let route, _) = router.match(method: method, path: path) else {
                Issue.record("\(method) \(pattern) does not match itself")
                continue
            }
            guard case .apiKey = route.requirement else {
                Issue.record("\(method) \(pattern) is not declared with .apiKey in the route table")
                continue
            }
            checked += 1
        }
        #expect(checked >= 12)
        #expect(Self.requirement(router, "POST", "/api/v1/bookings") == .apiKey(.bookingCreate))
        #expect(Self.requirement(router, "GET", "/api/v1/bookings") == .apiKey(.bookingViewOrg))
        #expect(Self.requirement(router, "POST", "/api/v1/bookings/x/cancel") == .apiKey(.bookingManageOrg))
        #expect(Self.requirement(router, "GET", "/api/v1/offers") == .apiKey(nil))
    }

    static func requirement(_ router: Router<Route>, _ method: String, _ path: String) -> Requirement? {
        guard case .found(let route, _) = router.match(method: method, path: path) else { return nil }
        return route.requirement
    }
}

/// Every page under `/b/{business}/` is named by a word offers may not use as their slug, so adding
/// such a page without reserving its word fails here (the offer would be shadowed).
struct ReservedOfferSlugRouteTests {
    @Test func everyBusinessPageWordIsReservedFromOfferSlugs() {
        let words = Set(App.routeTable().router.routes.compactMap { route -> String? in
            let parts = route.pattern.split(separator: "/").map(String.init)
            guard parts.count >= 3, parts[0] == "b", parts[1] == ":business", !parts[2].hasPrefix(":") else { return nil }
            return parts[2]
        })
        #expect(words.count >= 8)
        #expect(words.subtracting(Validation.reservedOfferSlugs).isEmpty, "not reserved: \(words.subtracting(Validation.reservedOfferSlugs).sorted())")
    }
}

