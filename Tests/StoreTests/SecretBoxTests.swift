import Foundation
@testable import Store
import Testing

struct SecretBoxTests {
    @Test func sealedSecretsOpenOnlyWithTheirKey() throws {
        let box = try SecretBox(keyBytes: Array(repeating: 7, count: 32))
        let sealed = try box.seal("sk_test_secret")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("sk_test_secret"))
        #expect(try box.open(sealed) == "sk_test_secret")
        #expect(throws: (any Error).self) { try SecretBox(keyBytes: Array(repeating: 8, count: 32)).open(sealed) }
        #expect(throws: (any Error).self) { try SecretBox(keyBytes: [1, 2, 3]) }
    }

    @Test func theKeyComesFromTheEnvironmentOrAFileMadeOnce() throws {
        let directory = NSTemporaryDirectory() + "bizing-secret-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try SecretBox.resolve(environment: nil, dataDirectory: directory)
        let sealed = try first.seal("whsec_x")
        let again = try SecretBox.resolve(environment: "", dataDirectory: directory)
        #expect(try again.open(sealed) == "whsec_x")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/secret.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let hex = String(repeating: "ab", count: 32)
        let fromHex = try SecretBox.resolve(environment: hex, dataDirectory: directory)
        let fromBase64 = try SecretBox.resolve(environment: Data(repeating: 0xAB, count: 32).base64EncodedString(), dataDirectory: directory)
        #expect(try fromBase64.open(try fromHex.seal("same key")) == "same key")
        #expect(throws: (any Error).self) { try SecretBox.resolve(environment: "short", dataDirectory: directory) }
        #expect(SecretBox.masked("sk_test_abcdef1234") == "sk_test_…1234")
    }
}
