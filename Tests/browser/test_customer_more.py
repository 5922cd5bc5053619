"""More of the customer pages in a real browser: rescheduling from the confirmation link, booking for
a household member, the browser-zone note and the hold countdown (Public/booking.js).

Days are chosen at least 8 days ahead so they do not meet test_booking.py's (2 days ahead onwards).
"""
import datetime as dt
import re
import urllib.parse
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BUSINESS_ZONE, business_weekday
from test_booking import booking_status, fill_checkout, slot_button, slot_starts


def use_time_zone(b, zone):
    """Makes Chromium's own time zone `zone` (as a person abroad would have it)."""
    b.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})


def hh_mm(rfc3339, zone):
    instant = dt.datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))
    return instant.astimezone(zone).strftime("%H:%M")


def confirm(b):
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))


def test_guest_reschedules_from_the_confirmation_link_and_the_old_slot_comes_back(browser):
    b = browser
    use_time_zone(b, "Asia/Tokyo")
    day = business_weekday(days_ahead_at_least=8, index=2)
    dana = f"/b/demo/consultation?date={day.isoformat()}&resource=dana-doctor"
    b.get(dana)
    starts = slot_starts(b)
    assert len(starts) >= 3, f"too few consultation slots with Dana Doctor on {day}: {starts}"

    # The business's zone is New York; the browser's is Tokyo: a note says what the first time is there.
    note = b.find(".zone-note")
    assert note.is_displayed(), "no browser-zone note although the zones differ"
    assert "Asia/Tokyo" in note.text and hh_mm(starts[0], zoneinfo.ZoneInfo("Asia/Tokyo")) in note.text, note.text

    old = starts[0]
    b.click(slot_button(b, old))
    assert b.h1() == "Confirm your booking"
    fill_checkout(b, {"name": "Rita Rescheduler", "email": "rita@example.com", "phone": ""})
    confirm(b)
    assert booking_status(b) == "Confirmed"
    confirmation = urllib.parse.urlsplit(b.driver.current_url)
    reference = b.find("main code").text.strip()

    # Without the token (and not signed in) the booking and its times are not shown.
    b.get(confirmation.path + "/reschedule")
    assert b.h1() != "Change the time" and "Rita Rescheduler" not in b.find("main").text
    b.get(urllib.parse.urlunsplit(confirmation))

    b.click(b.link("Move this booking to another time"))
    assert b.h1() == "Change the time"
    offered = [e.get_attribute("value") for e in b.find_all("form.slot input[name=start]")]
    assert old not in offered, "the booking's own time is offered as a new time"
    target = next((s for s in reversed(starts) if s in offered), None)
    assert target, f"none of Dana's free times {starts} is offered for the move: {offered}"
    b.click(b.find(f"form.slot input[name=start][value='{target}']").find_element(By.XPATH, "..//button"))

    assert b.h1() == "Your booking"
    assert urllib.parse.urlsplit(b.driver.current_url).path == confirmation.path, "the booking changed its id"
    assert "Your booking was moved to the new time" in b.find("main").text
    assert reference in b.find("main").text
    when = b.find("dl.booking-summary").text
    assert hh_mm(target, BUSINESS_ZONE) in when and hh_mm(old, BUSINESS_ZONE) not in when, when
    assert booking_status(b) == "Confirmed"

    b.get(dana)
    after = slot_starts(b)
    assert old in after, f"{old} did not come back after the booking moved away from it"
    assert target not in after, f"{target} is still offered with Dana Doctor after the booking moved there"


def test_signed_in_customer_books_the_class_for_a_household_member(browser):
    b = browser
    use_time_zone(b, "Europe/Berlin")
    b.get("/login")
    b.find("input#email").send_keys("customer@demo.test")
    b.find("input#password").send_keys("demo-password")
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Log in']"))
    assert b.driver.find_elements(By.XPATH, "//header//button[normalize-space()='Log out']"), "not signed in"

    member = "Milo Customer"
    b.get("/account")
    b.find("input#member-name").send_keys(member)
    b.find("input#member-relationship").send_keys("son")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Add to household']"))
    assert member in b.find("main").text

    day = business_weekday(days_ahead_at_least=8, index=6)
    b.get(f"/b/demo/yoga-class?date={day.isoformat()}")
    forms = [f for f in b.find_all("form.slot") if f.find_element(By.TAG_NAME, "button").text.strip() == "12:00"]
    assert len(forms) == 1, f"expected one 12:00 class on {day}"
    b.click(forms[0].find_element(By.TAG_NAME, "button"))
    assert b.h1() == "Confirm your booking"

    # The hold counts down: the server wrote "10 minutes"; booking.js turns it into minutes and seconds.
    left = b.find("#hold-countdown .hold-left")
    WebDriverWait(b.driver, 5).until(lambda d: re.fullmatch(r"\d+ min \d\d s", left.text.strip()))
    first = left.text
    WebDriverWait(b.driver, 5).until(lambda d: left.text != first)
    assert not b.find("#hold-countdown .hold-expired").is_displayed()

    # Book for the household member.
    choice = b.driver.find_element(By.XPATH, f"//fieldset[legend[normalize-space()='Who is this booking for?']]"
                                              f"//label[starts-with(normalize-space(), '{member}')]")
    choice.click()
    radio = b.find(f"input#{choice.get_attribute('for')}")
    assert radio.is_selected()
    confirm(b)
    assert booking_status(b) == "Confirmed"
    assert f"Booked for {member} by" in b.find("main").text
    reference = b.find("main code").text.strip()

    b.get("/account/bookings")
    items = [li for li in b.find_all("ul.booking-list li") if reference in li.find_element(By.TAG_NAME, "a").get_attribute("href")]
    assert items, f"booking {reference} is not in /account/bookings"
    assert f"for {member}" in items[0].text, items[0].text


def test_the_hold_countdown_says_when_the_hold_has_run_out(browser):
    b = browser
    day = business_weekday(days_ahead_at_least=8, index=7)
    b.get(f"/b/demo/consultation?date={day.isoformat()}")
    starts = slot_starts(b)
    assert starts, f"no consultation slots on {day}"
    b.click(slot_button(b, starts[-1]))
    assert b.h1() == "Confirm your booking"
    # A checkout with a mistake comes back with the error next to the field (and is HTML-checked too).
    fill_checkout(b, {"name": "", "email": "not-an-email"})
    confirm(b)
    assert b.h1() == "Confirm your booking"
    assert "Enter your name." in b.find(".error-summary").text
    countdown = b.find("#hold-countdown")
    assert countdown.find_element(By.CSS_SELECTOR, ".hold-left").is_displayed()
    # Move the expiry booking.js counts towards into the past, as if ten minutes had gone by.
    b.driver.execute_script("arguments[0].setAttribute('data-expires', '2000-01-01T00:00:00Z')", countdown)
    expired = countdown.find_element(By.CSS_SELECTOR, ".hold-expired")
    WebDriverWait(b.driver, 5).until(lambda d: expired.is_displayed())
    assert "Your hold has run out" in expired.text
    assert not countdown.find_element(By.CSS_SELECTOR, ".hold-left").is_displayed()
    again = expired.find_element(By.LINK_TEXT, "Pick a time again")
    assert urllib.parse.urlsplit(again.get_attribute("href")).path == "/b/demo/consultation"
    b.click(again)
    assert b.h1() == "Consultation"


def test_other_customer_pages_are_checked_too(browser):
    """Pages the booking paths above do not reach: sign-up, a closed day, a missing business, and the
    reschedule page of a cancelled booking. Each is HTML-checked when the test ends (conftest)."""
    b = browser
    b.get("/signup")
    assert b.h1() == "Create your account"

    sunday = business_weekday(days_ahead_at_least=8)
    while sunday.weekday() != 6:
        sunday += dt.timedelta(days=1)
    b.get(f"/b/demo/consultation?date={sunday.isoformat()}")
    # A closed day says why in one sentence (issue 20), then links the next day with times.
    assert "Closed on Sundays." in b.find("main").text
    b.click(b.driver.find_element(By.PARTIAL_LINK_TEXT, "See the next day with free times"))
    assert slot_starts(b), "the next day with free times has none"

    b.get("/b/no-such-business")
    assert "could not find that business" in b.find("main").text

    day = business_weekday(days_ahead_at_least=8, index=8)
    b.get(f"/b/demo/consultation?date={day.isoformat()}")
    b.click(slot_button(b, slot_starts(b)[-1]))
    fill_checkout(b, {"name": "Cora Cancel", "email": "cora@example.com", "phone": ""})
    confirm(b)
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Cancel this booking']"))
    assert booking_status(b) == "Cancelled"
    assert not b.driver.find_elements(By.LINK_TEXT, "Move this booking to another time")
    parts = urllib.parse.urlsplit(b.driver.current_url)
    b.get(f"{parts.path}/reschedule?{parts.query}")
    assert b.h1() == "Change the time"
    assert "This booking was cancelled, so it cannot be moved." in b.find("main").text
    assert not b.find_all("form.slot")
