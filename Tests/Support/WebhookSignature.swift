import Crypto

/// Checks a delivery's `Bizing-Signature` the way docs/webhooks.md tells a receiver to: HMAC-SHA256,
/// keyed with the whole secret, of `<t>.<raw body>`, compared with `v1` as lower-case hex.
public enum WebhookSignature {
    public static func verifies(_ header: String?, body: [UInt8], secret: String) -> Bool {
        guard let header else { return false }
        var parts: [String: String] = [:]
        for item in header.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { parts[String(pair[0])] = String(pair[1]) }
        }
        guard let t = parts["t"], let v1 = parts["v1"] else { return false }
        let expected = HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        let digits = Array("0123456789abcdef")
        return String(expected.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }) == v1
    }
}
