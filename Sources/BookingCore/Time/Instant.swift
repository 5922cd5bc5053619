/// A point in time: whole seconds since 1970-01-01T00:00:00Z (UNIX time).
///
/// Instants are always passed in; BookingCore never reads the clock.
public typealias Instant = Int64

/// Floor division and modulo for `Int64` (Swift's `/` and `%` truncate toward zero).
@inline(__always)
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always)
func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
    a - floorDiv(a, b) * b
}
