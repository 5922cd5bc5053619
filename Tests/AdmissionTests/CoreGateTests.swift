import Admission
import Foundation
import Synchronization
import Testing

/// `CoreGate`: at most its width of work at once, begun in order of arrival, and a thread that steps
/// away (to wait) gives its place to the next in line and comes back ahead of work not yet begun.
@Suite struct CoreGateTests {
    /// Things that happened, in order, from several threads.
    final class Log: Sendable {
        private let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    /// Runs `body` on a new thread; the returned semaphore is signalled when it has returned.
    func onThread(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let finished = DispatchSemaphore(value: 0)
        Thread { body(); finished.signal() }.start()
        return finished
    }

    /// Waits (up to 10 s) until `condition` holds.
    func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while !condition() {
            if Date() > deadline { return false }
            usleep(1_000)
        }
        return true
    }

    @Test func runsAtMostItsWidthAtOnce() {
        let gate = CoreGate(width: 2)
        let counts = Mutex((running: 0, most: 0))
        let threads = (0..<12).map { _ in
            onThread {
                gate.run {
                    counts.withLock { $0.running += 1; $0.most = max($0.most, $0.running) }
                    usleep(3_000)
                    counts.withLock { $0.running -= 1 }
                }
            }
        }
        for finished in threads { #expect(finished.wait(timeout: .now() + 10) == .success) }
        #expect(counts.withLock { $0.most } == 2)
    }

    @Test func beginsWorkInOrderOfArrival() {
        let gate = CoreGate(width: 1)
        let log = Log()
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holder = onThread { gate.run { holding.signal(); _ = release.wait(timeout: .now() + 10) } }
        #expect(holding.wait(timeout: .now() + 10) == .success)
        var threads: [DispatchSemaphore] = []
        for index in 0..<8 {
            threads.append(onThread { gate.run { log.add("\(index)") } })
            // The next arrives only once this one is in line.
            #expect(eventually { gate.waiting == index + 1 })
        }
        release.signal()
        for finished in [holder] + threads { #expect(finished.wait(timeout: .now() + 10) == .success) }
        #expect(log.all == (0..<8).map { "\($0)" })
    }

    /// On a new thread, work at `gate` that steps away until `back` is signalled, then runs `then`;
    /// returns once the work is away (the semaphore is signalled when the thread has returned).
    func awayUntil(_ back: DispatchSemaphore, at gate: CoreGate, then: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let away = DispatchSemaphore(value: 0)
        let finished = onThread {
            gate.run {
                CoreGate.whileAway {
                    away.signal()
                    _ = back.wait(timeout: .now() + 10)
                }
                then()
            }
        }
        #expect(away.wait(timeout: .now() + 10) == .success)
        return finished
    }

    @Test func aThreadAwayGivesItsPlaceToTheNextInLine() {
        let gate = CoreGate(width: 1)
        let log = Log()
        let back = DispatchSemaphore(value: 0)
        let first = awayUntil(back, at: gate, then: { log.add("first") })
        // With one place, the second piece of work runs only because the first gave its place away.
        let second = onThread { gate.run { log.add("second") } }
        #expect(second.wait(timeout: .now() + 10) == .success)
        back.signal()
        #expect(first.wait(timeout: .now() + 10) == .success)
        #expect(log.all == ["second", "first"])
    }

    @Test func aThreadBackFromAwayGoesAheadOfWorkNotBegun() {
        let gate = CoreGate(width: 1)
        let log = Log()
        let back = DispatchSemaphore(value: 0)
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let returning = awayUntil(back, at: gate, then: { log.add("returning") })
        let holder = onThread { gate.run { holding.signal(); _ = release.wait(timeout: .now() + 10) } }
        #expect(holding.wait(timeout: .now() + 10) == .success)
        let arriving = onThread { gate.run { log.add("arriving") } }
        #expect(eventually { gate.waiting == 1 })
        back.signal()
        #expect(eventually { gate.waiting == 2 })
        release.signal()
        for finished in [returning, holder, arriving] { #expect(finished.wait(timeout: .now() + 10) == .success) }
        #expect(log.all == ["returning", "arriving"])
    }

    struct Refused: Error {}

    @Test func awayOutsideAGateJustRunsAndRethrows() {
        #expect(CoreGate.whileAway { 42 } == 42)
        #expect(throws: Refused.self) { try CoreGate.whileAway { () throws(Refused) -> Int in throw Refused() } }
    }

    /// A body that throws while away still hands the place back and takes it again: afterwards the
    /// gate has all its places (two pieces of work run at once at width 2).
    @Test func aThrowWhileAwayLosesNoPlace() {
        let gate = CoreGate(width: 2)
        let outcome = Mutex<String>("")
        gate.run {
            do { try CoreGate.whileAway { () throws(Refused) in throw Refused() } } catch { outcome.withLock { $0 = "thrown" } }
        }
        #expect(outcome.withLock { $0 } == "thrown")
        // Each waits (up to 2 s) for the other to be inside too: with a place lost, neither sees it.
        let inside = Mutex((now: 0, sawBoth: 0))
        let threads = (0..<2).map { _ in
            onThread {
                gate.run {
                    inside.withLock { $0.now += 1 }
                    let deadline = Date().addingTimeInterval(2)
                    while inside.withLock({ $0.now }) < 2, Date() < deadline { usleep(1_000) }
                    inside.withLock { if $0.now == 2 { $0.sawBoth += 1 } }
                }
            }
        }
        for finished in threads { #expect(finished.wait(timeout: .now() + 10) == .success) }
        #expect(inside.withLock { $0.sawBoth } == 2)
    }
}
