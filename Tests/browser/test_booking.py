"""The customer booking pages in a real browser (issue 6, "Browser tests").

Each test books on its own weekday so they do not take each other's slots; the server is a fresh
`bizing serve --demo` with its own data directory (Tests/browser/run.sh).
"""
import urllib.error
import urllib.parse
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import business_weekday

GUEST = {"name": "Greta Guest", "email": "greta.guest@example.com", "phone": "+1 555 0100"}


def go_to_day(b, slug, day):
    """On an offer's slot page, move to `day`: by the week strip when the day is in it, else by ?date=."""
    wanted = f"?date={day.isoformat()}"
    for link in b.find_all("nav.week-strip a"):
        if (link.get_attribute("href") or "").endswith(wanted):
            b.click(link)
            break
    else:
        b.get(f"/b/demo/{slug}{wanted}")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(b.driver.current_url).query).get("date") == [day.isoformat()]


def slot_starts(b):
    return [e.get_attribute("value") for e in b.find_all("form.slot input[name=start]")]


def slot_button(b, start):
    return b.find(f"form.slot input[name=start][value='{start}']").find_element(By.XPATH, "..//button")


def fill_checkout(b, details):
    for field, value in details.items():
        box = b.find(f"form input[name={field}]")
        box.clear()
        box.send_keys(value)


def booking_status(b):
    return b.find("p.status strong").text.strip()


def fetch(url):
    """(status, content type, body) of a plain GET without the browser's cookies."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), ""


def test_guest_books_the_consultation_in_four_clicks_and_gets_an_ics(browser):
    b = browser
    day = business_weekday(index=0)
    b.get("/b/demo")
    assert b.h1() == "Demo Wellness"
    b.click(b.link("Consultation"))
    assert b.h1() == "Consultation"
    go_to_day(b, "consultation", day)
    starts = slot_starts(b)
    assert starts, f"no consultation slots on {day}"
    button = slot_button(b, starts[0])
    time_text = button.text.strip()
    assert len(time_text) == 5 and time_text[2] == ":", f"slot button should show the local time, got {time_text!r}"
    b.click(button)

    assert b.h1() == "Confirm your booking"
    summary = b.find("dl.booking-summary").text
    assert "Consultation at Demo Wellness" in summary and time_text in summary, summary
    fill_checkout(b, GUEST)
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))

    assert b.h1() == "Your booking"
    assert b.path().startswith("/bookings/")
    assert "token" in urllib.parse.parse_qs(urllib.parse.urlsplit(b.driver.current_url).query)
    assert booking_status(b) == "Confirmed"
    page = b.find("main").text
    assert GUEST["name"] in page and GUEST["email"] in page and time_text in page
    assert b.clicks <= 4, f"{b.clicks} clicks from /b/demo to a confirmed booking (issue 6: at most four)"

    ics = b.driver.find_element(By.PARTIAL_LINK_TEXT, ".ics").get_attribute("href")
    status, content_type, body = fetch(ics)
    assert status == 200 and content_type.startswith("text/calendar"), (status, content_type)
    compact_start = starts[0].replace("-", "").replace(":", "")  # 2026-11-24T14:00:00Z -> 20261124T140000Z
    assert "BEGIN:VCALENDAR" in body and "BEGIN:VEVENT" in body and compact_start in body, body[:400]
    # Without the token the calendar file (and so the booking) is not given out.
    no_token = urllib.parse.urlsplit(ics)._replace(query="").geturl()
    assert fetch(no_token)[0] in (401, 403, 404)


def test_taken_slot_disappears_and_comes_back_after_cancelling(browser):
    b = browser
    day = business_weekday(index=1)
    b.get(f"/b/demo/consultation?date={day.isoformat()}")
    # "Any host" keeps a time open while another host is free there, so pick one host.
    Select(b.find("select#resource")).select_by_visible_text("Dana Doctor")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Show times']"))
    slot_page = b.driver.current_url
    assert "resource=dana-doctor" in slot_page
    starts = slot_starts(b)
    assert starts, f"no slots with Dana Doctor on {day}"
    taken = starts[0]
    b.click(slot_button(b, taken))
    fill_checkout(b, {"name": "Carl Canceller", "email": "carl@example.com", "phone": ""})
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))
    assert booking_status(b) == "Confirmed"
    booking_url = b.driver.current_url

    b.get(slot_page)
    after_booking = slot_starts(b)
    assert taken not in after_booking, f"{taken} is still offered with Dana Doctor after being booked"
    assert set(after_booking) == set(starts) - {taken}, "booking one slot changed other slots"

    b.get(booking_url)
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Cancel this booking']"))
    assert b.h1() == "Your booking"
    assert booking_status(b) == "Cancelled"
    assert not b.driver.find_elements(By.XPATH, "//button[normalize-space()='Cancel this booking']")

    b.get(slot_page)
    assert taken in slot_starts(b), f"{taken} did not come back after the booking was cancelled"


def test_demo_customer_books_the_yoga_class_and_sees_it_in_the_account(browser):
    b = browser
    day = business_weekday(index=2)
    b.get("/login")
    assert b.h1() == "Log in"
    b.find("input#email").send_keys("customer@demo.test")
    b.find("input#password").send_keys("demo-password")
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Log in']"))
    assert b.driver.find_elements(By.XPATH, "//header//button[normalize-space()='Log out']"), "not signed in"

    b.get("/b/demo")
    b.click(b.link("Lunchtime yoga"))
    go_to_day(b, "yoga-class", day)
    forms = [f for f in b.find_all("form.slot") if f.find_element(By.TAG_NAME, "button").text.strip() == "12:00"]
    assert len(forms) == 1, f"expected one 12:00 class on {day}"
    party = forms[0].find_element(By.CSS_SELECTOR, "input[name=party_size]")
    party.clear()
    party.send_keys("1")
    b.click(forms[0].find_element(By.TAG_NAME, "button"))

    assert b.h1() == "Confirm your booking"
    summary = b.find("dl.booking-summary").text
    assert "Lunchtime yoga" in summary and "12:00" in summary, summary
    for field, value in {"name": "Demo Customer", "email": "customer@demo.test"}.items():
        box = b.find(f"form input[name={field}]")
        if not box.get_attribute("value"):
            box.send_keys(value)
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))
    assert booking_status(b) == "Confirmed"
    reference = b.find("main code").text.strip()
    assert reference

    b.get("/account/bookings")
    assert b.h1() == "Your bookings"
    upcoming = b.driver.find_elements(
        By.XPATH, "//h2[normalize-space()='Upcoming']/following-sibling::ul[1]//a")
    mine = [a for a in upcoming if reference in (a.get_attribute("href") or "")]
    assert mine, f"booking {reference} is not under Upcoming: {[a.text for a in upcoming]}"
    assert mine[0].text.strip() == "Lunchtime yoga at Demo Wellness"
    b.click(mine[0])
    assert booking_status(b) == "Confirmed" and reference in b.find("main").text


def test_keyboard_alone_reaches_a_slot_and_holds_it(browser):
    b = browser
    day = business_weekday(index=3)
    b.get(f"/b/demo/consultation?date={day.isoformat()}")
    assert slot_starts(b), f"no consultation slots on {day}"
    on_slot = "return !!document.activeElement && document.activeElement.matches('form.slot button')"
    for _ in range(80):
        ActionChains(b.driver).send_keys(Keys.TAB).perform()
        if b.driver.execute_script(on_slot):
            break
    else:
        raise AssertionError("Tab never reached a slot button")
    focused = b.driver.switch_to.active_element
    outline, shadow = b.driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle + ' ' + s.outlineWidth, s.boxShadow]",
        focused)
    assert not outline.startswith("none") or shadow != "none", "the focused slot button shows no focus indicator"
    old = b.find("html")
    ActionChains(b.driver).send_keys(Keys.ENTER).perform()
    b.wait_for_new_page(old)
    assert b.h1() == "Confirm your booking"


def test_no_serious_accessibility_violations_along_the_booking_path(browser):
    b = browser
    day = business_weekday(index=4)
    b.get("/b/demo")
    b.assert_no_serious_axe_violations()
    b.get(f"/b/demo/consultation?date={day.isoformat()}")
    b.assert_no_serious_axe_violations()
    b.click(slot_button(b, slot_starts(b)[0]))
    assert b.h1() == "Confirm your booking"
    b.assert_no_serious_axe_violations()
    fill_checkout(b, {"name": "Axel Able", "email": "axel@example.com", "phone": "555 0101"})
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))
    assert booking_status(b) == "Confirmed"
    b.assert_no_serious_axe_violations()
