"""The quick setup in a real browser (issue 5): sign up, set up a business once, book it at local times.

The business has a unique name (so a unique slug) and lives beside the demo business on the shared
server started by Tests/browser/run.sh; it books only its own host's times.
"""
import datetime as dt
import uuid
import zoneinfo

from selenium.webdriver.common.by import By

ZONE = zoneinfo.ZoneInfo("America/Chicago")


def coming_weekday(days_ahead_at_least=2):
    """The first Monday–Friday in Chicago at least `days_ahead_at_least` days from today there."""
    day = dt.datetime.now(ZONE).date() + dt.timedelta(days=days_ahead_at_least)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def type_into(b, css, text):
    box = b.find(css)
    box.clear()
    box.send_keys(text)


def test_a_new_owner_sets_up_once_and_a_customer_books_at_local_times(browser):
    b = browser
    suffix = uuid.uuid4().hex[:8]
    email = f"setup-{suffix}@example.com"
    business = f"Prairie Focus {suffix}"

    # Anonymous visitors are sent to sign up first, then come back to the setup.
    b.get("/setup")
    assert b.path() == "/signup", b.driver.current_url
    type_into(b, "input[name=name]", "Pat Prairie")
    type_into(b, "input[name=email]", email)
    type_into(b, "input[name=password]", "a long enough password")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Sign up']"))
    if b.path() != "/setup":
        b.get("/setup")
    assert b.h1() == "Set up your business"

    # One form: the defaults are the working week, 09:00–17:00, 30 minutes, USD.
    assert [e.get_attribute("value") for e in b.find_all("input[name=days]:checked")] == ["mon", "tue", "wed", "thu", "fri"]
    assert b.find("input[name=opens]").get_attribute("value") == "09:00"
    assert b.find("input[name=closes]").get_attribute("value") == "17:00"
    type_into(b, "input[name=business_name]", business)
    type_into(b, "input[name=timezone]", "America/Chicago")
    type_into(b, "input[name=service_name]", "Intro Call")
    type_into(b, "input[name=duration_minutes]", "30")
    type_into(b, "input[name=price]", "40.00")
    type_into(b, "input[name=currency]", "USD")
    b.assert_no_serious_axe_violations()
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Create my booking page']"))

    # The dashboard of the new business, with its public link.
    path = b.path()
    assert path.startswith("/manage/") and path.endswith("/"), b.driver.current_url
    slug = path[len("/manage/"):-1]
    assert slug.startswith("prairie-focus-"), slug
    assert b.h1() == business
    assert f"/b/{slug}" in b.find("main").text

    # The public page lists the service; its first slot on a coming weekday is 09:00 in Chicago.
    b.get(f"/b/{slug}")
    assert b.h1() == business
    b.click(b.link("Intro Call"))
    assert b.h1() == "Intro Call"
    day = coming_weekday()
    b.get(f"/b/{slug}/intro-call?date={day.isoformat()}")
    assert "America/Chicago" in b.find("main").text
    starts = [e.get_attribute("value") for e in b.find_all("form.slot input[name=start]")]
    assert starts, f"no slots on {day}"
    first = b.find("form.slot button")
    assert first.text.strip() == "09:00", first.text
    expected = dt.datetime.combine(day, dt.time(9, 0), ZONE).astimezone(dt.timezone.utc)
    assert starts[0] == expected.strftime("%Y-%m-%dT%H:%M:%SZ"), (starts[0], expected)
    assert len(starts) == 16, f"09:00–17:00 in 30-minute slots is 16 starts, got {len(starts)}"

    # Hold it and check out as a guest of the new business.
    b.click(first)
    assert b.h1() == "Confirm your booking"
    summary = b.find("dl.booking-summary").text
    assert "Intro Call" in summary and "09:00–09:30 (America/Chicago)" in summary, summary
    assert "$40.00" in b.find("main").text
    for field, value in {"name": "Casey Customer", "email": f"casey-{suffix}@example.com", "phone": "+1 312 555 0100"}.items():
        type_into(b, f"form input[name={field}]", value)
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))
    assert b.h1() == "Your booking"
    assert b.find("p.status strong").text.strip() == "Confirmed"

    # The time is taken now: the day starts at 09:30.
    b.get(f"/b/{slug}/intro-call?date={day.isoformat()}")
    assert b.find("form.slot button").text.strip() == "09:30"
