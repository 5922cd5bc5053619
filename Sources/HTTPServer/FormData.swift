/// `application/x-www-form-urlencoded` data (a query string or a form body): ordered pairs,
/// repeated keys kept.
public struct FormData: Sendable, Equatable {
    public private(set) var pairs: [(name: String, value: String)]

    /// Most fields a form may carry, and the longest a name may be; a request beyond that is refused.
    public static let maxFields = 1000
    public static let maxNameLength = 200

    public init(pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    public enum ParseError: Error, Equatable, Sendable {
        case malformedEncoding(String)
        case tooManyFields
        case nameTooLong
    }

    /// Parses `a=1&b=2&a=3`. Empty segments (`a=1&&b=2`) are skipped; `a` alone means `a=""`.
    public init(parsing text: Substring) throws(ParseError) {
        var pairs: [(name: String, value: String)] = []
        if text.isEmpty { self.pairs = []; return }
        for segment in text.split(separator: "&", omittingEmptySubsequences: true) {
            guard pairs.count < Self.maxFields else { throw .tooManyFields }
            let rawName: Substring, rawValue: Substring
            if let eq = segment.firstIndex(of: "=") {
                rawName = segment[segment.startIndex..<eq]
                rawValue = segment[segment.index(after: eq)...]
            } else {
                rawName = segment
                rawValue = ""
            }
            do {
                let name = try PercentDecoding.decode(rawName, plusIsSpace: true)
                guard name.utf8.count <= Self.maxNameLength else { throw ParseError.nameTooLong }
                pairs.append((name, try PercentDecoding.decode(rawValue, plusIsSpace: true)))
            } catch let error as PercentDecoding.Malformed {
                throw .malformedEncoding(error.input)
            } catch let error as ParseError {
                throw error
            } catch {
                throw .malformedEncoding(String(segment))
            }
        }
        self.pairs = pairs
    }

    public init(parsing bytes: [UInt8]) throws(ParseError) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformedEncoding("body") }
        try self.init(parsing: Substring(text))
    }

    /// The first value for `name`.
    public subscript(_ name: String) -> String? {
        for pair in pairs where pair.name == name { return pair.value }
        return nil
    }

    /// Every value for `name`, in order.
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    public var names: Set<String> { Set(pairs.map(\.name)) }

    public mutating func append(_ name: String, _ value: String) { pairs.append((name, value)) }

    /// `a=1&b=2`, encoded for a URL.
    public var encoded: String {
        pairs.map { PercentDecoding.encode($0.name) + "=" + PercentDecoding.encode($0.value) }.joined(separator: "&")
    }

    public static func == (lhs: FormData, rhs: FormData) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0 == $1 }
    }
}
