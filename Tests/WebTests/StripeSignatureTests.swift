import Foundation
import Testing
@testable import Web

struct StripeSignatureTests {
    let payload = Array(#"{"id":"evt_1","type":"payment_intent.succeeded"}"#.utf8)
    let secret = "whsec_test"

    @Test func aSignatureWithinFiveMinutesVerifies() {
        let v1 = StripeSignature.sign(payload: payload, secret: secret, timestamp: 1_000)
        #expect(StripeSignature.isValid(header: "t=1000,v1=\(v1)", payload: payload, secret: secret, now: 1_300))
        #expect(StripeSignature.isValid(header: "t=1000,v1=deadbeef,v1=\(v1),v0=x", payload: payload, secret: secret, now: 1_000))
    }

    @Test func staleWrongOrMissingSignaturesFail() {
        let v1 = StripeSignature.sign(payload: payload, secret: secret, timestamp: 1_000)
        #expect(!StripeSignature.isValid(header: "t=1000,v1=\(v1)", payload: payload, secret: secret, now: 1_301))
        #expect(!StripeSignature.isValid(header: "t=1000,v1=\(v1)", payload: payload + [32], secret: secret, now: 1_000))
        #expect(!StripeSignature.isValid(header: "t=1000,v1=\(v1)", payload: payload, secret: "whsec_other", now: 1_000))
        #expect(!StripeSignature.isValid(header: "v1=\(v1)", payload: payload, secret: secret, now: 1_000))
        #expect(!StripeSignature.isValid(header: nil, payload: payload, secret: secret, now: 1_000))
    }
}
