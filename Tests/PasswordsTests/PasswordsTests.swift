import Passwords
import Testing

struct PasswordsTests {
    let fast = Passwords(parameters: .init(memoryKiB: 1024, iterations: 1, parallelism: 1))

    @Test func recommendedParametersAreOWASPsArgon2idMinimum() throws {
        #expect(Passwords.Parameters.recommended == .init(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1))
        let hash = try Passwords().hash("correct horse battery")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
    }

    @Test func aHashVerifiesItsPasswordOnly() throws {
        let hash = try fast.hash("correct horse battery")
        #expect(fast.verify("correct horse battery", against: hash))
        #expect(!fast.verify("correct horse batterY", against: hash))
        #expect(!fast.verify("", against: hash))
        #expect(!hash.contains("correct"))
    }

    @Test func everyHashHasItsOwnSixteenByteSalt() throws {
        let a = try fast.hash("same password"), b = try fast.hash("same password")
        #expect(a != b)
        // PHC string: $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>; 16 bytes are 22 base64 characters
        #expect(a.split(separator: "$")[3].count == 22)
    }

    @Test func aMalformedHashIsAMismatchNotACrash() {
        #expect(!fast.verify("x", against: ""))
        #expect(!fast.verify("x", against: "$argon2id$v=19$m=1024,t=1,p=1$bad"))
        #expect(!fast.verify("x", against: "plaintext"))
    }

    @Test func weakerHashesNeedARehash() throws {
        let weak = try fast.hash("correct horse battery")
        let strong = Passwords(parameters: .init(memoryKiB: 2048, iterations: 2, parallelism: 1))
        #expect(strong.needsRehash(weak))
        #expect(!fast.needsRehash(weak))
        #expect(!strong.needsRehash(try strong.hash("x")))
        #expect(strong.needsRehash("$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA"))
    }
}
