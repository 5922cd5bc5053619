import BookingCore
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
