import Testing
@testable import Web

/// The calendar grids' cells, built as HTML by the server rather than cell by cell in the template.
struct StaffCalendarRenderTests {
    @Test func escapeCoversEveryHTMLMetacharacterAndLeavesOtherTextAlone() {
        #expect(StaffCalendar.escape(#"<a href="x">Tom & Jerry's</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(StaffCalendar.escape("09:00–09:30 Zoë") == "09:00–09:30 Zoë")
    }

    @Test func cellsAndTheirItemsAreEscaped() throws {
        let item = StaffCalendarPage.Item(time: "10:00–10:30", label: "<b>Massage</b>", status: "Confirmed", customer: "Zoë \"Z\" Q.",
                                          detailURL: "/staff/demo/bookings/bk_1", checkIn: nil, cssClass: "booking")
        let html = StaffCalendar.cellsHTML([
            .init(cssClass: "slot free", stateLabel: nil, items: []),
            .init(cssClass: "slot occupied", stateLabel: "<continues>", items: [item]),
        ])
        #expect(html.hasPrefix(#"<td class="slot free"></td><td class="slot occupied"><span class="state">&lt;continues&gt;</span>"#))
        #expect(html.contains(#"<a href="/staff/demo/bookings/bk_1">&lt;b&gt;Massage&lt;/b&gt;</a>"#))
        #expect(html.contains("Zoë &quot;Z&quot; Q."))
        #expect(!html.contains("<b>") && !html.contains("Check in"))
        #expect(html.hasSuffix("</div></td>"))
        let checkIn = StaffCalendarPage.CheckIn(action: "/staff/demo/bookings/bk_1/check-in", csrf: "t0k\"en", next: "/staff/demo/calendar?date=2026-11-23&view=day")
        let form = StaffCalendar.itemHTML(.init(time: "10:00–10:30", label: "Consultation", status: nil, customer: nil, detailURL: nil,
                                                checkIn: checkIn, cssClass: "booking"))
        #expect(form.contains(#"<span>Consultation</span>"#))
        #expect(form.contains(#"action="/staff/demo/bookings/bk_1/check-in""#))
        #expect(form.contains(#"name="_csrf" value="t0k&quot;en""#))
        #expect(form.contains(#"name="next" value="/staff/demo/calendar?date=2026-11-23&amp;view=day""#))
        #expect(!form.contains("cal-customer") && !form.contains("cal-status"))
    }
}
