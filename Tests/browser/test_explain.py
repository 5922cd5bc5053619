"""Why is a time not bookable? (issue 20) in a real browser: the owner's "check a time" tool lists each
resource's reasons, and a customer opening a Sunday reads why it has no times and a link to Monday.

Uses what `bizing demo` seeds on the first working day after today: Dana Doctor's time off "Dentist"
14:00–15:00 and Omar Reyes's treatment with Sam Stylist at 14:00, which no other browser test changes.
"""
import datetime as dt

from selenium.webdriver.common.by import By

from conftest import BUSINESS_ZONE, business_weekday
from test_staff import log_in


def set_value(b, css, value):
    """Fills a date or time input regardless of the browser's locale format."""
    b.driver.execute_script("arguments[0].value = arguments[1];", b.find(css), value)


def test_owner_asks_why_two_pm_is_not_bookable_and_reads_each_resources_reason(browser):
    b = browser
    day = business_weekday(days_ahead_at_least=1, index=0)
    log_in(b, "owner@demo.test")

    b.get("/manage/demo/offers/consultation")
    b.click(b.driver.find_element(By.ID, "check-time"))
    assert b.path() == "/staff/demo/check"
    set_value(b, "input#date", day.isoformat())
    set_value(b, "input#time", "14:00")
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Check']"))

    verdict = b.find("#verdict-heading").text
    assert "is not bookable" in verdict, verdict
    items = {e.find_element(By.TAG_NAME, "strong").text: e.text for e in b.find_all("ul.resource-reasons > li")}
    assert "Blocked by time off “Dentist” 14:00–15:00" in items.get("Dana Doctor", ""), items
    assert "Taken by the booking Treatment 14:00–15:00" in items.get("Sam Stylist", ""), items
    # Each reason links to the rule behind it: Dana's time off, Sam's booking.
    links = [a.get_attribute("href") for a in b.find_all("ul.resource-reasons a")]
    assert any("/manage/demo/resources/dana-doctor#block-" in href for href in links), links
    assert any("/staff/demo/bookings/" in href for href in links), links
    b.assert_no_serious_axe_violations()


def test_front_desk_reads_taken_but_not_by_whom(browser):
    b = browser
    day = business_weekday(days_ahead_at_least=1, index=0)
    log_in(b, "frontdesk@demo.test")
    b.get(f"/staff/demo/check?offer=consultation&date={day.isoformat()}&time=14:00")
    items = {e.find_element(By.TAG_NAME, "strong").text: e.text for e in b.find_all("ul.resource-reasons > li")}
    assert "Taken" in items.get("Sam Stylist", ""), items
    assert "Treatment" not in items.get("Sam Stylist", ""), items
    assert not b.driver.find_elements(By.CSS_SELECTOR, "ul.resource-reasons a[href*='/staff/demo/bookings/']")


def test_customer_opening_a_sunday_reads_closed_on_sundays_and_a_link_to_monday(browser):
    b = browser
    today = dt.datetime.now(BUSINESS_ZONE).date()
    sunday = today + dt.timedelta(days=(6 - today.weekday()) % 7 or 7)
    monday = sunday + dt.timedelta(days=1)
    b.get(f"/b/demo/consultation?date={sunday.isoformat()}")
    assert b.find("#empty-reason").text == "Closed on Sundays."
    link = b.driver.find_element(By.PARTIAL_LINK_TEXT, "See the next day with free times")
    assert link.get_attribute("href").endswith(f"date={monday.isoformat()}"), link.get_attribute("href")
    b.click(link)
    assert b.driver.find_elements(By.CSS_SELECTOR, "ul.slots button"), "Monday shows times"


def set_dana_daily_limit(b, value):
    """Saves Dana Doctor's "Most bookings a day" on her resource page (empty: no limit)."""
    b.get("/manage/demo/resources/dana-doctor")
    box = b.find("input#max_per_day")
    box.clear()
    if value:
        box.send_keys(value)
    form = box.find_element(By.XPATH, "./ancestor::form")
    b.click(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert b.find("input#max_per_day").get_attribute("value") == value


def test_a_host_limited_to_four_bookings_a_day_shows_no_more_times_after_the_fourth(browser):
    b = browser
    day = business_weekday(days_ahead_at_least=8, index=12)
    page = f"/b/demo/consultation?date={day.isoformat()}&resource=dana-doctor"
    log_in(b, "owner@demo.test")
    set_dana_daily_limit(b, "4")
    try:
        for n in range(4):
            b.get(page)
            buttons = b.find_all("ul.slots form.slot button")
            assert buttons, f"Dana offers no time before booking #{n + 1} on {day}"
            b.click(buttons[0])
            assert b.h1() == "Confirm your booking"
            for field, value in {"name": f"Limit Tester {n}", "email": f"limit.{n}@example.com"}.items():
                box = b.find(f"form input[name={field}]")
                box.clear()
                box.send_keys(value)
            b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))
            assert b.find("p.status strong").text.strip() == "Confirmed"
        b.get(page)
        assert not b.driver.find_elements(By.CSS_SELECTOR, "ul.slots form.slot button"), "a fifth time is offered"
        assert b.find("#empty-reason").text.strip(), "the empty day says why"
    finally:
        set_dana_daily_limit(b, "")
