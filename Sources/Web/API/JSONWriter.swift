import BookingCore

/// A small, fast JSON writer for the API's hot responses (availability, bookings): appends bytes,
/// escapes strings per RFC 8259. Foundation's JSONEncoder costs several microseconds per object
/// on Linux; a month of slots is hundreds of objects.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() { separator(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    mutating func beginArray() { separator(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    /// A key inside an object; the next value call writes its value.
    mutating func key(_ name: String) {
        separator()
        string(raw: name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    mutating func value(_ text: String) { separator(); string(raw: text) }
    mutating func value(_ number: Int64) { separator(); Self.appendDecimal(number, to: &bytes) }
    mutating func value(_ number: Int) { value(Int64(number)) }
    /// A typed identifier as its bare number.
    mutating func value(_ id: some Identifier) { value(id.rawValue) }
    mutating func value(_ flag: Bool) { separator(); bytes.append(contentsOf: (flag ? "true" : "false").utf8) }
    mutating func null() { separator(); bytes.append(contentsOf: "null".utf8) }

    /// An instant as an RFC 3339 UTC string, written without an intermediate String.
    mutating func value(instant: Instant) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        RFC3339.write(instant, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func field(_ name: String, instant: Instant) { key(name); value(instant: instant) }
    mutating func field(_ name: String, _ text: String) { key(name); value(text) }
    mutating func field(_ name: String, _ number: Int64) { key(name); value(number) }
    mutating func field(_ name: String, _ number: Int) { key(name); value(number) }
    mutating func field(_ name: String, _ id: some Identifier) { key(name); value(id.rawValue) }
    mutating func field(_ name: String, _ text: String?) { key(name); if let text { value(text) } else { null() } }
    mutating func field(_ name: String, _ flag: Bool) { key(name); value(flag) }

    /// A tree of dictionaries (written with sorted keys, so the bytes are stable), arrays, strings,
    /// integers, booleans and `NSNull` — for documents built once, like the OpenAPI document.
    mutating func value(any: Any) {
        switch any {
        case let text as String: value(text)
        case let flag as Bool: value(flag)
        case let number as Int: value(number)
        case let number as Int64: value(number)
        case let number as Double where number.rounded() == number && abs(number) < 1e15: value(Int64(number))
        case let number as Double: separator(); bytes.append(contentsOf: "\(number)".utf8)
        case let object as [String: Any]:
            beginObject()
            for name in object.keys.sorted() { key(name); value(any: object[name]!) }
            endObject()
        case let array as [Any]:
            beginArray()
            for element in array { value(any: element) }
            endArray()
        default: null()
        }
    }

    mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for text in strings { value(text) }
        endArray()
    }

    /// Appends `number` in decimal (no String made).
    static func appendDecimal(_ number: Int64, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            let count = writeDecimal(number, to: buffer.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Writes `number` in decimal at `p` (room for 20 bytes) and returns how many bytes it wrote.
    @inline(__always)
    static func writeDecimal(_ number: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var q = p
        if number < 0 { q.initialize(to: UInt8(ascii: "-")); q += 1 }
        var magnitude = number.magnitude, count = 0
        repeat { count += 1; magnitude /= 10 } while magnitude > 0
        magnitude = number.magnitude
        for i in stride(from: count - 1, through: 0, by: -1) {
            q[i] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
            magnitude /= 10
        }
        return q - p + count
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func string(raw text: String) { JSONString.append(text, to: &bytes) }
}
