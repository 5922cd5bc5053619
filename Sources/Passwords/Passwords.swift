import Admission
internal import CArgon2
import Foundation

/// argon2id password hashing over libargon2. Hashes are PHC strings
/// (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so parameters travel with each hash.
public struct Passwords: Sendable {
    /// Memory in KiB, iterations, lanes. Defaults follow OWASP's minimum for argon2id.
    public struct Parameters: Sendable, Equatable {
        public var memoryKiB: UInt32
        public var iterations: UInt32
        public var parallelism: UInt32

        public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }

        public static let recommended = Parameters(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1)
    }

    public enum Failure: Error, CustomStringConvertible {
        case argon2(code: Int32, message: String)
        public var description: String {
            switch self { case .argon2(let code, let message): "argon2 error \(code): \(message)" }
        }
    }

    public let parameters: Parameters
    public static let saltBytes = 16
    public static let hashBytes = 32

    public init(parameters: Parameters = .recommended) { self.parameters = parameters }

    /// A fresh salted argon2id hash of `password`, encoded with its parameters.
    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: Self.saltBytes)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: .min ... .max, using: &rng) }
        let length = argon2_encodedlen(parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                                       UInt32(Self.saltBytes), UInt32(Self.hashBytes), Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let bytes = Array(password.utf8)
        // Long work (tens of milliseconds) runs out of a CoreGate's line, so it holds up no booking.
        let rc = CoreGate.whileAway {
            argon2id_hash_encoded(parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                                  bytes, bytes.count, salt, salt.count, Self.hashBytes, &encoded, length)
        }
        guard rc == ARGON2_OK.rawValue else { throw Failure.argon2(code: rc, message: String(cString: argon2_error_message(rc))) }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches `encoded`. A malformed hash is simply a mismatch.
    public func verify(_ password: String, against encoded: String) -> Bool {
        let bytes = Array(password.utf8)
        return CoreGate.whileAway { argon2id_verify(encoded, bytes, bytes.count) } == ARGON2_OK.rawValue
    }

    /// Whether a stored hash was made with weaker parameters than the current ones (upgrade it at
    /// the next successful log-in).
    public func needsRehash(_ encoded: String) -> Bool {
        guard encoded.hasPrefix("$argon2id$"),
              let m = Self.parameter("m", in: encoded), let t = Self.parameter("t", in: encoded),
              let p = Self.parameter("p", in: encoded) else { return true }
        return m < parameters.memoryKiB || t < parameters.iterations || p != parameters.parallelism
    }

    private static func parameter(_ name: String, in encoded: String) -> UInt32? {
        for field in encoded.split(separator: "$") where field.contains("=") {
            for pair in field.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return UInt32(parts[1]) }
            }
        }
        return nil
    }
}
