/// Matches a method and a decoded path to a handler, capturing path parameters.
///
/// Patterns are `/`-separated segments: literal (`calendar`), a parameter (`:business`), a parameter
/// with a literal suffix (`:id.ics`), or a trailing wildcard (`*path`) that captures the rest.
/// Literal segments win over parameters. `HEAD` falls back to the `GET` route.
public struct Router<Handler: Sendable>: Sendable {
    public enum Match {
        case found(Handler, parameters: [String: String])
        /// The path exists, but not for this method; `allow` lists the methods that do.
        case methodNotAllowed(allow: [String])
        case notFound
    }

    // Internals are `@usableFromInline` so that `match` can be `@inlinable`: it is then specialised
    // for the caller's handler type instead of running generic code through runtime metadata.
    @usableFromInline
    struct Route: Sendable {
        @usableFromInline let method: String
        let pattern: String
        @usableFromInline let segments: [Segment]
        @usableFromInline let handler: Handler
        var specificity: Int { segments.reduce(0) { $0 + $1.weight } }
    }

    @usableFromInline
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(name: String, suffix: String)
        case wildcard(name: String)

        var weight: Int {
            switch self {
            case .literal: 3
            case .parameter(_, let suffix): suffix.isEmpty ? 1 : 2
            case .wildcard: 0
            }
        }
    }

    @usableFromInline var staticRoutes: [String: [String: Handler]] = [:]   // path → method → handler
    @usableFromInline var dynamicRoutes: [Route] = []

    public init() {}

    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        let segments = Self.parse(pattern)
        if segments.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            precondition(staticRoutes[pattern]?[method] == nil, "route \(method) \(pattern) added twice")
            staticRoutes[pattern, default: [:]][method] = handler
        } else {
            precondition(!dynamicRoutes.contains { $0.method == method && $0.segments == segments },
                         "route \(method) \(pattern) added twice")
            dynamicRoutes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
            dynamicRoutes.sort { $0.specificity > $1.specificity }
        }
    }

    /// Every route as (method, pattern), for documentation and checks against the API description.
    public var routes: [(method: String, pattern: String)] {
        staticRoutes.flatMap { path, methods in methods.keys.map { ($0, path) } }
            + dynamicRoutes.map { ($0.method, $0.pattern) }
    }

    @inlinable
    public func match(method: String, path: String) -> Match {
        if let methods = staticRoutes[path] {
            if let handler = methods[method] ?? (method == "HEAD" ? methods["GET"] : nil) {
                return .found(handler, parameters: [:])
            }
        }
        let parts = Self.split(path)
        var allowed = Set(staticRoutes[path]?.keys.map { $0 } ?? [])
        var best: (Handler, [String: String])?
        for route in dynamicRoutes {
            guard let parameters = Self.capture(route.segments, parts) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                if best == nil { best = (route.handler, parameters) }
                // Routes are sorted by specificity; an exact-method route of equal specificity that
                // comes later never beats the first found.
                if route.method == method { return .found(route.handler, parameters: parameters) }
            }
            allowed.insert(route.method)
        }
        if let best { return .found(best.0, parameters: best.1) }
        if allowed.isEmpty { return .notFound }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allow: allowed.sorted())
    }

    /// Prints a pattern with its parameters filled in, percent-encoding each value.
    public static func path(_ pattern: String, _ parameters: [String: String]) -> String {
        var out = ""
        for segment in parse(pattern) {
            out += "/"
            switch segment {
            case .literal(let text): out += text
            case .parameter(let name, let suffix): out += PercentDecoding.encode(parameters[name] ?? "") + suffix
            case .wildcard(let name): out += parameters[name] ?? ""
            }
        }
        return out.isEmpty ? "/" : out
    }

    static func parse(_ pattern: String) -> [Segment] {
        let segments = split(pattern).map { part -> Segment in
            if part.hasPrefix(":") {
                let body = part.dropFirst()
                if let dot = body.firstIndex(of: ".") {
                    return .parameter(name: String(body[body.startIndex..<dot]), suffix: String(body[dot...]))
                }
                return .parameter(name: String(body), suffix: "")
            }
            if part.hasPrefix("*") { return .wildcard(name: String(part.dropFirst())) }
            return .literal(String(part))
        }
        // A trailing slash is significant: "/manage/:b/" ends in an empty literal segment.
        return segments
    }

    @usableFromInline
    static func split(_ path: String) -> [Substring] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.first == "" { parts.removeFirst() }
        if parts == [""] { return [] }
        return parts
    }

    @usableFromInline
    static func capture(_ segments: [Segment], _ parts: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        var index = 0
        for segment in segments {
            switch segment {
            case .wildcard(let name):
                guard index < parts.count else { return nil }
                parameters[name] = parts[index...].joined(separator: "/")
                return parameters
            case .literal(let text):
                guard index < parts.count, parts[index] == text else { return nil }
            case .parameter(let name, let suffix):
                guard index < parts.count else { return nil }
                let part = parts[index]
                guard !part.isEmpty else { return nil }
                if suffix.isEmpty {
                    parameters[name] = String(part)
                } else {
                    guard part.hasSuffix(suffix), part.count > suffix.count else { return nil }
                    parameters[name] = String(part.dropLast(suffix.count))
                }
            }
            index += 1
        }
        return index == parts.count ? parameters : nil
    }
}
