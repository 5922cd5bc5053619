import Crypto
import Foundation
import Store

/// Stripe's webhook signature: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.payload")>`
/// (several `v1` when secrets roll). Valid when one `v1` matches and `t` is within the tolerance of now.
enum StripeSignature {
    static let toleranceSeconds: Int64 = 300

    static func isValid(header: String?, payload: [UInt8], secret: String, now: Int64, tolerance: Int64 = toleranceSeconds) -> Bool {
        guard let header, !secret.isEmpty else { return false }
        var timestamp: Int64?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1].lowercased()) }
        }
        guard let timestamp, abs(now - timestamp) <= tolerance, !signatures.isEmpty else { return false }
        let expected = sign(payload: payload, secret: secret, timestamp: timestamp)
        return signatures.contains { constantTimeEqual($0, expected) }
    }

    /// The `v1` value for `payload` at `timestamp`.
    static func sign(payload: [UInt8], secret: String, timestamp: Int64) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let signed = Array("\(timestamp).".utf8) + payload
        return Tokens.hex(Array(HMAC<SHA256>.authenticationCode(for: signed, using: key)))
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
