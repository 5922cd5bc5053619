import Foundation
@testable import Store
import Synchronization

/// Races on real threads: every input's `work` starts together (held at a gate until all threads
/// exist), and each outcome is kept, a refusal as its `BookingFailure` (anything else as
/// `invalid(field: "unexpected")`, which no test expects).
enum Racers {
    static func atOnce<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ work: @escaping @Sendable (Input) throws -> Output)
        -> [Result<Output, BookingFailure>] {
        let results = Mutex<[Result<Output, BookingFailure>]>([])
        let group = DispatchGroup(), gate = DispatchSemaphore(value: 0)
        for input in inputs {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                gate.wait()
                do {
                    let output = try work(input)
                    results.withLock { $0.append(.success(output)) }
                } catch let failure as BookingFailure {
                    results.withLock { $0.append(.failure(failure)) }
                } catch {
                    results.withLock { $0.append(.failure(.invalid(field: "unexpected", message: "\(error)"))) }
                }
            }
        }
        for _ in inputs { gate.signal() }
        group.wait()
        return results.withLock { $0 }
    }

    /// How many of `results` succeeded.
    static func wins<Output>(_ results: [Result<Output, BookingFailure>]) -> Int {
        results.filter { if case .success = $0 { true } else { false } }.count
    }
}
