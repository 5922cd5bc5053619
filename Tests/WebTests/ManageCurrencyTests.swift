import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Prices are entered, stored (integer minor units) and shown with the currency's decimals.
struct ManageCurrencyTests {
    static func livePrice(_ test: TestApp, _ business: Business, _ offer: String) throws -> PriceModel {
        try #require(try test.database.pool.read { db in try Catalog.offer(db, businessID: business.id, slug: offer) }).spec.price
    }

    @Test func aYenPriceIsStoredAsWholeYenAndShownWithoutDecimals() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test, fields: SetupSupport.form(["currency": "JPY", "price": "5000",
                                                                                        "timezone": "Asia/Tokyo"]))
        let business = try SetupSupport.business(test, slug)
        #expect(business.currency == "JPY")
        #expect(try Self.livePrice(test, business, "deep-tissue-massage") == .fixed(Money(5000, "JPY")))
        #expect(try test.browser().get("/b/\(slug)").text.contains("¥5,000"))
        #expect(try test.browser().get("/b/\(slug)/deep-tissue-massage").text.contains("¥5,000"))
        let manage = try browser.get("/manage/\(slug)/offers/deep-tissue-massage").text
        #expect(manage.contains(#"id="price_amount" name="price_amount" type="text" inputmode="decimal" value="5000""#))
        #expect(manage.contains("Sample price: Base price ¥5,000") || manage.contains("= ¥5,000"))
        // Yen have no decimals.
        let bad = try browser.post("/manage/\(slug)/offers/deep-tissue-massage/draft",
                                   ManageBuilderTests.versionForm(["price_amount": "5000.50"]))
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("JPY has no decimals, so enter whole numbers only."))
    }

    @Test func centsBeyondTheCurrencysDecimalsAreRefusedWithASentence() throws {
        let test = try TestApp()
        let (browser, _) = try test.member("owner@setup.test")
        try browser.get("/setup")
        let response = try browser.post("/setup", SetupSupport.form(["currency": "USD", "price": "12.345"]))
        #expect(response.status == .unprocessable)
        #expect(response.text.contains("<a href=\"#price\">Enter a price like 45.00: USD has 2 decimals, so enter at most 2 digits after the dot.</a>"))
        #expect(response.text.contains("id=\"price-error\""))
        #expect(try SetupSupport.count(test, "businesses") == 0)
        // An unknown code is refused too.
        let unknown = try browser.post("/setup", SetupSupport.form(["currency": "ZZZ"]))
        #expect(unknown.status == .unprocessable && unknown.text.contains("<a href=\"#currency\">"))
        #expect(try SetupSupport.count(test, "businesses") == 0)
    }

    @Test func aDinarPriceWithThreeDecimalsRoundTrips() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let settings = try browser.get("/manage/\(slug)/settings").text
        #expect(settings.contains(#"<option value="EUR" selected>EUR</option>"#) && settings.contains(#"<option value="KWD">KWD</option>"#))
        #expect(try browser.post("/manage/\(slug)/settings", [("name", "Café Zoë"), ("timezone", "Asia/Kuwait"), ("currency", "KWD"),
                                                               ("description", "")]).status == .seeOther)
        let business = try SetupSupport.business(test, slug)
        #expect(business.currency == "KWD")
        let offer = "/manage/\(slug)/offers/deep-tissue-massage"
        let refused = try browser.post(offer + "/draft", ManageBuilderTests.versionForm(["price_amount": "1.2505"]))
        #expect(refused.status == .unprocessable && refused.text.contains("KWD has 3 decimals"))
        #expect(try browser.post(offer + "/draft", ManageBuilderTests.versionForm(["price_amount": "1.250"])).status == .seeOther)
        #expect(try browser.get(offer).text.contains(#"name="price_amount" type="text" inputmode="decimal" value="1.250""#))
        #expect(try browser.post(offer + "/publish", []).status == .seeOther)
        #expect(try Self.livePrice(test, business, "deep-tissue-massage") == .fixed(Money(1250, "KWD")))
        #expect(try test.browser().get("/b/\(slug)").text.contains("KWD 1.250"))
        // A fixed deposit and a date price use the same decimals.
        #expect(try browser.post(offer + "/draft", ManageBuilderTests.versionForm([
            "price_amount": "1.250", "deposit_kind": "fixed", "deposit_value": "0.500",
            "rule_0_kind": "date", "rule_0_date": "2027-01-01", "rule_0_amount": "2.125",
        ])).status == .seeOther)
        let page = try browser.get(offer).text
        #expect(page.contains(#"value="0.500""#) && page.contains(#"value="2.125""#))
    }
}
