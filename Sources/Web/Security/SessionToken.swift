import Crypto
import Foundation

/// A session token: 256 random bits from `SystemRandomNumberGenerator`, sent to the browser as
/// base64url; the database only ever sees its SHA-256.
struct SessionToken: Sendable {
    /// The cookie value.
    let value: String
    /// SHA-256 of the raw token bytes: what `sessions.token_hash` holds.
    let hash: Data

    static let byteCount = 32

    static func generate() -> SessionToken {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return SessionToken(value: Base64URL.encode(bytes), hash: Data(SHA256.hash(data: bytes)))
    }

    /// The token in a cookie value, or nil when it is not one we could have issued.
    init?(cookie value: String) {
        guard value.utf8.count == 43, let bytes = Base64URL.decode(value), bytes.count == Self.byteCount else { return nil }
        self.value = value
        self.hash = Data(SHA256.hash(data: bytes))
    }

    private init(value: String, hash: Data) {
        self.value = value
        self.hash = hash
    }
}

/// base64url without padding (RFC 4648 §5).
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
