"""The front desk's calendar in a real browser (issue 7): check in a booking from the calendar,
with no customer email, phone or surname anywhere in the page source.

Uses the demo's own seeded bookings on the first working day after today (Zelda Quinn's
consultation at 10:00 with Dana), which no other browser test books or changes.
"""
from selenium.webdriver.common.by import By

from conftest import business_weekday

# What `bizing demo` seeds for its customers: the front desk sees first name + last initial only.
SECRETS = [
    "Quinn", "Reyes", "Shah", "Chen", "Souza", "Kim",
    "zelda.quinn@example.com", "omar.reyes@example.com", "priya.shah@example.com", "liam.chen@example.com",
    "ana.souza@example.com", "noah.kim@example.com",
    "555 0142", "555 0199", "555 0123", "555 0177", "555 0110", "555 0188",
    "Prefers morning reminders",
]


def assert_masked(b):
    source = b.driver.page_source
    leaked = [secret for secret in SECRETS if secret in source]
    assert not leaked, f"{b.driver.current_url}: the front desk's page source contains {leaked}"


def log_in(b, email):
    b.get("/login")
    b.find("input#email").send_keys(email)
    b.find("input#password").send_keys("demo-password")
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Log in']"))
    assert b.driver.find_elements(By.XPATH, "//header//button[normalize-space()='Log out']"), "not signed in"


def zelda_block(b):
    blocks = [e for e in b.find_all("table.calendar-grid .cal-item") if "Zelda Q." in e.text]
    assert len(blocks) == 1, f"expected one block for Zelda Q., found {[e.text for e in blocks]}"
    return blocks[0]


def test_front_desk_checks_in_a_booking_from_the_calendar_and_sees_no_customer_details(browser):
    b = browser
    day = business_weekday(days_ahead_at_least=1, index=0)
    log_in(b, "frontdesk@demo.test")

    b.get(f"/staff/demo/calendar?date={day.isoformat()}&view=day")
    assert day.strftime("%B") in b.h1(), b.h1()
    block = zelda_block(b)
    assert "10:00–10:30" in block.text and "Consultation" in block.text and "Confirmed" in block.text, block.text
    assert_masked(b)
    b.assert_no_serious_axe_violations()

    # The block's link opens the booking's detail page, masked too, with the check-in button.
    b.click(block.find_element(By.LINK_TEXT, "Consultation"))
    assert b.path().startswith("/staff/demo/bookings/")
    assert "Zelda Q." in b.find("main").text
    assert_masked(b)
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Check in']"))
    assert "Checked in." in b.find("main").text
    status = b.driver.find_element(By.XPATH, "//dt[normalize-space()='Status']/following-sibling::dd[1]").text.strip()
    assert status == "Checked in", status
    assert not b.driver.find_elements(By.XPATH, "//main//button[normalize-space()='Check in']")
    assert_masked(b)

    # Back on the calendar the block shows the new status and no check-in button.
    b.get(f"/staff/demo/calendar?date={day.isoformat()}&view=day")
    block = zelda_block(b)
    assert "Checked in" in block.text, block.text
    assert not block.find_elements(By.XPATH, ".//button[normalize-space()='Check in']")
    assert_masked(b)
