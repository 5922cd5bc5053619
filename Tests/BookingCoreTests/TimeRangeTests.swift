import BookingCore
import Testing

struct TimeRangeTests {
    @Test func rangesThatOnlyTouchDoNotOverlap() {
        let a = TimeRange(start: 0, end: 10), b = TimeRange(start: 10, end: 20)
        #expect(!a.overlaps(b))
        #expect(a.overlaps(TimeRange(start: 9, end: 11)))
        #expect(!a.contains(10))
        #expect(a.contains(0))
    }

    @Test func emptyRangesOverlapNothing() {
        #expect(!TimeRange(start: 5, end: 5).overlaps(TimeRange(start: 0, end: 10)))
        #expect(!TimeRange(start: 0, end: 10).contains(TimeRange(start: 5, end: 5)))
    }

    @Test func subtractingSplitsAroundTheHole() {
        let pieces = TimeRange(start: 0, end: 100).subtracting(TimeRange(start: 40, end: 60))
        #expect(pieces == [TimeRange(start: 0, end: 40), TimeRange(start: 60, end: 100)])
        #expect(TimeRange(start: 0, end: 10).subtracting(TimeRange(start: 0, end: 10)).isEmpty)
    }

    @Test func normalizingMergesTouchingAndOverlapping() {
        let n = TimeRange.normalized([.init(start: 20, end: 30), .init(start: 0, end: 10),
                                      .init(start: 10, end: 15), .init(start: 25, end: 40), .init(start: 50, end: 50)])
        #expect(n == [TimeRange(start: 0, end: 15), TimeRange(start: 20, end: 40)])
    }

    @Test func setAlgebraMatchesASecondBySecondCheck() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            func randomSet() -> [TimeRange] {
                (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    let s = Int64.random(in: 0..<60, using: &rng)
                    return TimeRange(start: s, end: s + Int64.random(in: 0...20, using: &rng))
                }
            }
            let a = randomSet(), b = randomSet()
            let inter = TimeRange.intersect(a, b), diff = TimeRange.subtract(a, b)
            for t in Int64(0)..<80 {
                let inA = a.contains { $0.contains(t) }, inB = b.contains { $0.contains(t) }
                #expect(inter.contains { $0.contains(t) } == (inA && inB))
                #expect(diff.contains { $0.contains(t) } == (inA && !inB))
            }
        }
    }
}
