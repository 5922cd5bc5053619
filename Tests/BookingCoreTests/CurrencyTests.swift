import BookingCore
import Testing

struct CurrencyTests {
    @Test func minorUnitsFollowISO4217() {
        #expect(Currency.minorUnits("JPY") == 0)
        #expect(Currency.minorUnits("KRW") == 0)
        #expect(Currency.minorUnits("USD") == 2)
        #expect(Currency.minorUnits("EUR") == 2)
        #expect(Currency.minorUnits("KWD") == 3)
        #expect(Currency.minorUnits("BHD") == 3)
        #expect(Currency.isKnown("KWD") && Currency.isKnown("JPY") && !Currency.isKnown("EURO") && !Currency.isKnown("ZZZ"))
        #expect(Currency.codes == Currency.codes.sorted() && Set(Currency.codes).count == Currency.codes.count)
    }

    @Test func pricesAreParsedWithTheCurrencysDecimals() throws {
        #expect(try Currency.parse("5000", "JPY", field: "price") == 5000)
        #expect(try Currency.parse("1.250", "KWD", field: "price") == 1250)
        #expect(try Currency.parse("1.25", "KWD", field: "price") == 1250)
        #expect(try Currency.parse("0.005", "BHD", field: "price") == 5)
        #expect(try Currency.parse("12.34", "USD", field: "price") == 1234)
        #expect(try Currency.parse(" 12.5 ", "USD", field: "price") == 1250)
        #expect(try Currency.parse("45", "EUR", field: "price") == 4500)
    }

    @Test func tooManyDecimalsAreRefusedWithASentence() {
        #expect(throws: ValidationError(field: "price", message: "Enter a price like 45.00: USD has 2 decimals, so enter at most 2 digits after the dot.")) {
            try Currency.parse("12.345", "USD", field: "price")
        }
        #expect(throws: ValidationError(field: "amount", message: "Enter a price like 4500: JPY has no decimals, so enter whole numbers only.")) {
            try Currency.parse("50.5", "JPY", field: "amount")
        }
        for bad in ["1.2345", "", "-1", "1,000", "1.", ".5", "abc", "1.2.3", "1234567890123"] {
            #expect(throws: ValidationError.self, "\(bad)") { try Currency.parse(bad, "KWD", field: "price") }
        }
    }

    @Test func amountsAreShownWithTheCurrencysDecimalsAndGrouping() {
        #expect(Currency.format(5000, "JPY") == "¥5,000")
        #expect(Currency.format(1250, "KWD") == "KWD 1.250")
        #expect(Currency.format(123_456, "USD") == "$1,234.56")
        #expect(Currency.format(4000, "USD") == "$40.00")
        #expect(Currency.format(-500, "EUR") == "−€5.00")
        #expect(Currency.format(1_234_567_000, "BHD") == "BHD 1,234,567.000")
        #expect(Currency.decimal(5000, "JPY") == "5000")
        #expect(Currency.decimal(1250, "KWD") == "1.250")
        #expect(Currency.decimal(5, "USD") == "0.05")
        #expect(Currency.decimal(100_000, "USD", grouping: true) == "1,000.00")
    }

    @Test(arguments: ["JPY", "USD", "KWD"])
    func whatIsShownInAFormParsesBackToTheSameAmount(_ code: String) throws {
        for amount: Int64 in [0, 1, 9, 10, 999, 1000, 1250, 123_456_789] {
            #expect(try Currency.parse(Currency.decimal(amount, code), code, field: "price") == amount)
        }
    }
}
