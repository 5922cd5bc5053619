@testable import BookingCore
import Testing

struct ValidationTests {
    @Test func slugsAreLowerCaseASCIIWithSingleHyphens() {
        #expect(Validation.slug("Demo Wellness") == "demo-wellness")
        #expect(Validation.slug("  Café Zoë & Søn!! ") == "cafe-zoe-son")
        #expect(Validation.slug("Straße 42") == "strasse-42")
        #expect(Validation.slug("---") == "")
        #expect(Validation.slug("日本語 Spa") == "spa")
        let long = Validation.slug(String(repeating: "ab ", count: 40))
        #expect(long.count <= 60 && !long.hasSuffix("-"))
        #expect(Validation.isSlug("demo-wellness") && !Validation.isSlug("Demo") && !Validation.isSlug(""))
    }

    @Test func emailsAreTrimmedLowerCasedAndPlausible() {
        #expect(Validation.normalizedEmail("  Zelda@Example.COM ") == "zelda@example.com")
        for bad in ["zelda", "zelda@", "@example.com", "zelda@example", "a b@example.com", "z@@example.com",
                    "zelda@example.c", "zelda@-example.com", "zelda@example..com"] {
            #expect(Validation.normalizedEmail(bad) == nil, "\(bad)")
        }
        #expect(Validation.isPlausibleEmail("owner@demo.test"))
    }

    @Test func timesDatesAndMinutesGiveClearErrors() throws {
        #expect(try Validation.wallTime(" 09:30 ", field: "opens") == F.w("09:30"))
        #expect(throws: ValidationError(field: "opens", message: "Enter a time as HH:MM, for example 09:30.")) {
            try Validation.wallTime("9.30", field: "opens")
        }
        #expect(try Validation.date("2026-12-01", field: "date") == F.d("2026-12-01"))
        #expect(throws: ValidationError.self) { try Validation.date("12/01/2026", field: "date") }
        #expect(try Validation.minutes("45", field: "duration_minutes", in: 5...1440) == 45)
        #expect(throws: ValidationError(field: "duration_minutes", message: "Enter between 5 and 1440 minutes.")) {
            try Validation.minutes("0", field: "duration_minutes", in: 5...1440)
        }
        #expect(throws: ValidationError.self) { try Validation.minutes("ten", field: "d", in: 5...1440) }
    }
}

/// `normalizedEmail` checks ASCII text byte by byte (the fast path): it must answer exactly what the
/// Character-by-Character rules answer.
struct NormalizedEmailFastPathTests {
    @Test func asciiAddressesGetTheSameAnswerAsTheCharacterRules() {
        var inputs = ["bench@example.com", "  Ada.Lovelace@Example.COM \t", "a@b.co", "a@b.c", "@b.com", "a@@b.com", "a@b@c.com",
                      "a b@c.com", "a@-b.com", "a@b-.com", "a@b..com", "a@.com", "a@com", "a,b@c.com", "<a@b.com>", "a@b.com\r\n",
                      "\r\na@b.com", "a\r\n@b.com", "", " ", "a@b.com.", String(repeating: "x", count: 64) + "@b.com",
                      String(repeating: "x", count: 65) + "@b.com", "a@" + String(repeating: "b", count: 250) + ".com",
                      "a@" + String(repeating: "b", count: 247) + ".com", "A@B.CO", "a\u{0B}@b.com", "a\u{1F}b@c.com", "a@b.c-m"]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ@.-, <>\t\r\n_x9+".utf8)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...14, using: &generator)
            inputs.append(String(decoding: (0..<length).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self))
        }
        for input in inputs {
            #expect(Validation.normalizedEmail(input) == Validation.normalizedUnicodeEmail(input), "\(input.debugDescription)")
        }
        #expect(Validation.normalizedEmail("  Ada@Example.COM ") == "ada@example.com")
        #expect(Validation.normalizedEmail("José@example.com") == "josé@example.com")   // beyond ASCII: the Character rules
    }
}
