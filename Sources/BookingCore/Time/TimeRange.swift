/// A half-open interval of instants `[start, end)`. Empty when `end <= start`.
public struct TimeRange: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: Instant
    public var end: Instant

    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }

    public var isEmpty: Bool { end <= start }
    /// Length in seconds (0 when empty).
    public var duration: Int64 { Swift.max(0, end - start) }

    /// True when the two ranges share at least one instant.
    @inline(__always)
    public func overlaps(_ other: TimeRange) -> Bool {
        start < other.end && other.start < end && !isEmpty && !other.isEmpty
    }

    @inline(__always)
    public func contains(_ instant: Instant) -> Bool { start <= instant && instant < end }

    /// True when `other` lies entirely inside this range (an empty `other` is contained nowhere).
    @inline(__always)
    public func contains(_ other: TimeRange) -> Bool {
        !other.isEmpty && start <= other.start && other.end <= end
    }

    /// The common part, or nil when the ranges do not overlap.
    public func intersection(_ other: TimeRange) -> TimeRange? {
        let r = TimeRange(start: Swift.max(start, other.start), end: Swift.min(end, other.end))
        return r.isEmpty ? nil : r
    }

    /// This range minus `other`: zero, one or two pieces, in order.
    public func subtracting(_ other: TimeRange) -> [TimeRange] {
        guard overlaps(other) else { return isEmpty ? [] : [self] }
        var out: [TimeRange] = []
        if other.start > start { out.append(TimeRange(start: start, end: other.start)) }
        if other.end < end { out.append(TimeRange(start: other.end, end: end)) }
        return out
    }

    public var description: String { "[\(RFC3339.format(start)), \(RFC3339.format(end)))" }
}

extension TimeRange {
    /// Sorts, drops empty ranges and merges overlapping or touching ones.
    public static func normalized(_ ranges: [TimeRange]) -> [TimeRange] {
        var sorted = ranges.filter { !$0.isEmpty }
        if zip(sorted, sorted.dropFirst()).contains(where: { $0.start > $1.start }) {
            sorted.sort { $0.start < $1.start }
        }
        var out: [TimeRange] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, r.start <= last.end {
                out[out.count - 1].end = Swift.max(last.end, r.end)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// Intersection of two sets of ranges (both normalised first).
    public static func intersect(_ a: [TimeRange], _ b: [TimeRange]) -> [TimeRange] {
        let a = normalized(a), b = normalized(b)
        var i = 0, j = 0
        var out: [TimeRange] = []
        while i < a.count && j < b.count {
            if let r = a[i].intersection(b[j]) { out.append(r) }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return out
    }

    /// `a` minus every range of `b`.
    public static func subtract(_ a: [TimeRange], _ b: [TimeRange]) -> [TimeRange] {
        let a = normalized(a), b = normalized(b)
        var out: [TimeRange] = []
        var j = 0
        for var r in a {
            while j < b.count && b[j].end <= r.start { j += 1 }
            var k = j
            while k < b.count && b[k].start < r.end {
                if b[k].start > r.start { out.append(TimeRange(start: r.start, end: b[k].start)) }
                r.start = Swift.max(r.start, b[k].end)
                k += 1
            }
            if !r.isEmpty { out.append(r) }
        }
        return out
    }

    /// Binary search in a normalised (sorted, disjoint) list: does one range contain `range`?
    @inline(__always)
    static func sortedContains(_ sorted: [TimeRange], _ range: TimeRange) -> Bool {
        // last range with start <= range.start
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if sorted[mid].start <= range.start { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 && sorted[lo - 1].contains(range)
    }

    /// Binary search in a normalised list: does any range overlap `range`?
    @inline(__always)
    static func sortedOverlaps(_ sorted: [TimeRange], _ range: TimeRange) -> Bool {
        // first range with end > range.start
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if sorted[mid].end <= range.start { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo].start < range.end
    }
}
