import Foundation
import Synchronization

/// Admission to the cores for work that threads do in parallel (the write threads' requests): at
/// most `width` pieces of work run at once, started in order of arrival; the others wait their turn.
///
/// Why: the server has many write threads, because a request waits for the writer's commit and a
/// waiting thread holds nothing. Left to the kernel, every one of them that has CPU work runs at
/// once, and on 2 cores 32 requests then each take 16 times as long, finish in no particular order,
/// and crowd out the one thread that must not wait, the writer. Admitted in order, each request's
/// CPU work runs without interruption, the oldest first, and the writer gets its core.
///
/// A thread that is about to block (a commit wait, an outbound HTTP call) or to run long work (an
/// argon2id hash, tens of milliseconds) calls `CoreGate.whileAway`: its place goes to the next in
/// line meanwhile, so waiting never holds up the queue; when it comes back, it goes ahead of work
/// not yet begun (work already begun finishes first: the shortest time to each answer).
///
/// A thread must not step away while it holds what a thread with a place may wait for (a reader
/// connection of the pool): coming back, it would wait for a place held by a thread waiting for it.
/// None does: each Store use case's read ends before its write, and argon2id and curl run outside
/// Store's transactions (Web never sees one).
public final class CoreGate: Sendable {
    /// A thread waiting for its turn.
    private final class Waiter: Sendable {
        let turn = DispatchSemaphore(value: 0)
    }

    private struct State {
        var free: Int
        /// Threads coming back from `whileAway`, served first; then work not yet begun.
        var returning = Line()
        var arriving = Line()
    }

    /// A first-in-first-out line of waiters (an array with a moving head: no shifting per take).
    private struct Line {
        private var waiters: [Waiter] = []
        private var head = 0
        var count: Int { waiters.count - head }

        mutating func append(_ waiter: Waiter) { waiters.append(waiter) }

        mutating func take() -> Waiter? {
            guard head < waiters.count else { return nil }
            let waiter = waiters[head]
            head += 1
            if head == waiters.count { waiters.removeAll(keepingCapacity: true); head = 0 }
            return waiter
        }
    }

    /// Work running at once, at most.
    public let width: Int
    private let state: Mutex<State>

    public init(width: Int) {
        precondition(width > 0, "a gate lets at least one through")
        self.width = width
        state = Mutex(State(free: width))
    }

    /// Runs `work` on this thread once it is its turn (at once when a place is free).
    public func run(_ work: () -> Void) {
        enter(returning: false)
        let previous = Self.held
        Self.held = self
        work()
        // `whileAway` gives the place back and takes it again, so the thread holds one here.
        Self.held = previous
        leave()
    }

    /// Pieces of work waiting for their turn (tests wait for a line of a known length).
    public var waiting: Int { state.withLock { $0.returning.count + $0.arriving.count } }

    /// Runs `body`, which blocks or runs long, without the current thread's place at a gate (if it
    /// holds one): the next in line runs meanwhile. Outside a gate, just runs `body`.
    public static func whileAway<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard let gate = held else { return try body() }
        held = nil
        gate.leave()
        defer {
            gate.enter(returning: true)
            held = gate
        }
        return try body()
    }

    private func enter(returning: Bool) {
        let waiter: Waiter? = state.withLock { state in
            if state.free > 0 { state.free -= 1; return nil }
            let waiter = Waiter()
            if returning { state.returning.append(waiter) } else { state.arriving.append(waiter) }
            return waiter
        }
        // The place is handed over by `leave`, not counted free in between: no one overtakes.
        waiter?.turn.wait()
    }

    private func leave() {
        let next: Waiter? = state.withLock { state in
            if let next = state.returning.take() ?? state.arriving.take() { return next }
            state.free += 1
            return nil
        }
        next?.turn.signal()
    }

    // MARK: - The gate the current thread holds a place at (a thread-specific value)

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key, nil)
        precondition(created == 0, "pthread_key_create failed")
        return key
    }()

    /// Unretained: a thread holds a place only inside `run`, which holds the gate.
    private static var held: CoreGate? {
        get { pthread_getspecific(key).map { Unmanaged<CoreGate>.fromOpaque($0).takeUnretainedValue() } }
        set { pthread_setspecific(key, newValue.map { UnsafeRawPointer(Unmanaged.passUnretained($0).toOpaque()) }) }
    }
}
