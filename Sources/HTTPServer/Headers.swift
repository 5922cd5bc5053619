/// One header field. A struct rather than a tuple: arrays of tuples ask the Swift runtime for tuple
/// metadata in generic code, which showed up in the profile of every request.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An ordered list of header fields with case-insensitive lookup.
public struct Headers: Sendable, Sequence {
    public private(set) var fields: [HeaderField]

    public init(_ pairs: [(name: String, value: String)] = []) { self.fields = pairs.map { HeaderField($0.name, $0.value) } }

    public init(fields: [HeaderField]) { self.fields = fields }

    /// The first value of a field, compared case-insensitively.
    public subscript(_ name: String) -> String? {
        for field in fields where field.name.caseInsensitiveEquals(name) { return field.value }
        return nil
    }

    public func values(_ name: String) -> [String] {
        var found: [String] = []
        for field in fields where field.name.caseInsensitiveEquals(name) { found.append(field.value) }
        return found
    }

    public func contains(_ name: String) -> Bool {
        for field in fields where field.name.caseInsensitiveEquals(name) { return true }
        return false
    }

    public mutating func add(_ name: String, _ value: String) { fields.append(HeaderField(name, value)) }

    public var count: Int { fields.count }

    public mutating func reserveCapacity(_ capacity: Int) { fields.reserveCapacity(capacity) }

    /// Replaces every field of that name with one value.
    public mutating func set(_ name: String, _ value: String) {
        fields.removeAll { $0.name.caseInsensitiveEquals(name) }
        fields.append(HeaderField(name, value))
    }

    public func makeIterator() -> IndexingIterator<[HeaderField]> { fields.makeIterator() }
}

extension String {
    /// ASCII case-insensitive comparison (header names are ASCII).
    func caseInsensitiveEquals(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                for i in 0..<x.count where x[i] != y[i] {
                    let lx = (x[i] &- 65) < 26 ? x[i] | 0x20 : x[i]
                    let ly = (y[i] &- 65) < 26 ? y[i] | 0x20 : y[i]
                    if lx != ly { return false }
                }
                return true
            }
        }
    }
}
