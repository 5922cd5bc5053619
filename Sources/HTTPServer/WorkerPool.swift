import Admission
import Foundation
import Synchronization

/// A fixed set of threads running submitted jobs in order of submission. For work that waits (a
/// request whose answer waits for the writer's commit): the threads are made for waiting, not for the
/// cores, unlike Dispatch's, which on Linux does not know that a job blocked. With a `CoreGate`, at
/// most its width of jobs do CPU work at once, in order of submission; a job steps out of line
/// while it waits (`CoreGate.whileAway`).
final class WorkerPool: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let threads: Int
    private let gate: CoreGate?

    init(threads: Int, name: String, gate: CoreGate? = nil) {
        self.threads = threads
        self.gate = gate
        for _ in 0..<threads {
            let thread = Thread { [self] in run() }
            thread.name = name
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        state.withLock { $0.jobs.append(job) }
        available.signal()
    }

    /// Lets the threads end once the jobs submitted so far have run.
    func stop() {
        state.withLock { $0.stopped = true }
        for _ in 0..<threads { available.signal() }
    }

    private func run() {
        while true {
            available.wait()
            // A short queue (one job per suspended connection), so taking the first shifts little.
            let job: (@Sendable () -> Void)? = state.withLock { $0.jobs.isEmpty ? nil : $0.jobs.removeFirst() }
            if let job {
                if let gate { gate.run(job) } else { job() }
                continue
            }
            if state.withLock({ $0.stopped }) { return }
        }
    }
}
