import Crypto
public import Foundation

/// Seals stored secrets (a business's Stripe keys) with AES-GCM under one 32-byte key:
/// `BIZING_SECRET_KEY` (hex or base64), else `DATA_DIR/secret.key`, made once with mode 0600.
/// A sealed value is nonce ‖ ciphertext ‖ tag; opening checks the tag.
public struct SecretBox: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(keyBytes: [UInt8]) throws {
        guard keyBytes.count == 32 else { throw Failure(description: "the secret key must be 32 bytes, not \(keyBytes.count)") }
        self.keyBytes = keyBytes
    }

    /// A throwaway key (tests, and processes that never open a stored secret).
    public static func ephemeral() -> SecretBox {
        // 32 random bytes always make a valid key.
        try! SecretBox(keyBytes: Tokens.random(32))   // swiftlint:disable:this force_try
    }

    /// From the environment's text (64 hex digits or base64 of 32 bytes), else the data directory's
    /// key file, written on first use.
    public static func resolve(environment text: String?, dataDirectory: String) throws -> SecretBox {
        if let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            guard let bytes = decode(text) else {
                throw Failure(description: "BIZING_SECRET_KEY must be 32 bytes as 64 hex digits or base64")
            }
            return try SecretBox(keyBytes: bytes)
        }
        let path = dataDirectory + "/secret.key"
        let manager = FileManager.default
        if let data = manager.contents(atPath: path) {
            guard let bytes = decode(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw Failure(description: "\(path) does not hold a 32-byte key")
            }
            return try SecretBox(keyBytes: bytes)
        }
        try manager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let bytes = Tokens.random(32)
        guard manager.createFile(atPath: path, contents: Data((Tokens.hex(bytes) + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(description: "could not write \(path)")
        }
        return try SecretBox(keyBytes: bytes)
    }

    static func decode(_ text: String) -> [UInt8]? {
        if text.count == 64, text.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return bytes
        }
        if let data = Data(base64Encoded: text), data.count == 32 { return Array(data) }
        return nil
    }

    public func seal(_ text: String) throws -> Data {
        guard let combined = try AES.GCM.seal(Data(text.utf8), using: key).combined else {
            throw Failure(description: "AES-GCM gave no combined box")
        }
        return combined
    }

    public func open(_ sealed: Data) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }

    /// What a page may show of a secret: its kind prefix and last four characters.
    public static func masked(_ secret: String) -> String {
        let prefix: String
        if let range = secret.range(of: "_", options: .backwards), secret.distance(from: secret.startIndex, to: range.lowerBound) <= 12 {
            prefix = String(secret[..<range.upperBound])
        } else {
            prefix = ""
        }
        return prefix + "…" + String(secret.suffix(4))
    }
}
