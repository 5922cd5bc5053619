import Foundation

/// A stateful Stripe double for tests: localstripe (Tests/services/stripe_double.py) on a free
/// loopback port, its state in memory. Any `sk_test_…` key is accepted. Needs scripts/test-venv.sh.
public final class StripeDouble: @unchecked Sendable {   // see ServiceProcess
    private let service = ServiceProcess(script: "stripe_double.py", arguments: [])

    public init() {}

    public func start() throws { try service.start() }
    public func stop() { service.stop() }
    public var port: Int { service.port }
    /// `http://127.0.0.1:PORT`, for `BIZING_STRIPE_API_BASE`.
    public var base: String { "http://127.0.0.1:\(port)" }
}
