"""Issue 21's "done when" in a real browser: a customer joins the barber's walk-in queue and sees
their place and wait, the barber calls them, the owner's page compares estimates with waits; a
customer rents a kayak from Friday to Sunday. (Staff checking the kayak out and back in needs the
clock at the pick-up, so that part is covered by RentalPagesTests with a test clock.)
"""
import datetime as dt
import urllib.parse

import pytest
from selenium.webdriver.common.by import By

from conftest import BUSINESS_ZONE


def log_in(b, email):
    # Signed in as someone else, /login would send us to the account page: start a fresh browser session.
    b.get("/login")
    b.driver.delete_all_cookies()
    b.get("/login")
    b.find("input#email").send_keys(email)
    b.find("input#password").send_keys("demo-password")
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Log in']"))


def join(b, name):
    b.get("/q/demo/walk-in-haircut")
    if "closed right now" in b.find("main").text:
        pytest.skip("the demo's walk-in queue is open Mon–Sat 09:00–17:00 New York")
    b.find("input#name").send_keys(name)
    b.find("input#phone").send_keys("+1 212 555 0100")
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Join the queue']"))
    assert b.path().startswith("/q/demo/tickets/"), b.path()
    return b.path()


def check_out(b, name, email):
    for field, value in {"name": name, "email": email}.items():
        box = b.find(f"form input[name={field}]")
        box.clear()
        box.send_keys(value)
    b.click(b.driver.find_element(By.XPATH, "//main//form//button[@type='submit']"))


def test_a_walk_in_joins_is_called_and_the_owner_compares_estimates(browser):
    b = browser
    first = join(b, "Ada Walker")
    join(b, "Bo Walker")
    mine = join(b, "Cat Walker")
    text = b.find("main").text
    assert "You are 3rd in line, about 25–35 min." in text, text
    assert b.driver.find_element(By.CSS_SELECTOR, "meta[http-equiv=refresh]").get_attribute("content") == "30"

    log_in(b, "frontdesk@demo.test")
    b.get("/staff/demo/queues/walk-in-haircut")
    assert "Cat Walker" in b.find("main").text
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Call next']"))
    assert "Called the next customer." in b.find("main").text
    b.get(first)
    assert "It is your turn" in b.find("main").text
    b.get(mine)
    assert "You are 2nd in line" in b.find("main").text

    log_in(b, "owner@demo.test")
    b.get("/manage/demo/queues/walk-in-haircut")
    rows = b.find_all("main table tbody tr")
    assert rows and "Week of" in rows[0].text, b.find("main").text


def test_a_customer_rents_a_kayak_from_friday_to_sunday(browser):
    b = browser
    today = dt.datetime.now(BUSINESS_ZONE).date()
    friday = today + dt.timedelta(days=(4 - today.weekday()) % 7 or 7)
    sunday = friday + dt.timedelta(days=2)
    b.get("/b/demo/kayak-rental")
    assert "Pick up from 09:00, return by 17:00" in b.find("main").text
    b.driver.execute_script("arguments[0].value = arguments[1]", b.find("input#pick_up"), friday.isoformat())
    b.driver.execute_script("arguments[0].value = arguments[1]", b.find("input#return"), sunday.isoformat())
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Reserve']"))
    assert b.path().startswith("/b/demo/checkout/"), b.find("main").text
    check_out(b, "Kay Paddler", "kay.paddler@example.com")
    text = b.find("main").text
    assert "$135.00" in text, text


def set_value(b, css, value):
    b.driver.execute_script("arguments[0].value = arguments[1]", b.find(css), value)


def test_a_customer_rents_three_kayaks_and_moves_them_by_a_day(browser):
    b = browser
    today = dt.datetime.now(BUSINESS_ZONE).date()
    # Two weeks out, so the one-kayak test's weekend is another one.
    friday = today + dt.timedelta(days=((4 - today.weekday()) % 7 or 7) + 14)
    sunday = friday + dt.timedelta(days=2)
    b.get("/b/demo/kayak-rental")
    set_value(b, "input#pick_up", friday.isoformat())
    set_value(b, "input#return", sunday.isoformat())
    box = b.find("input#quantity")
    box.clear()
    box.send_keys("3")
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Reserve']"))
    assert b.path().startswith("/b/demo/checkout/"), b.find("main").text
    check_out(b, "Tri Paddler", "tri.paddler@example.com")
    assert "$405.00" in b.find("main").text, b.find("main").text  # 3 kayaks × 3 days × $45.00
    booking = b.driver.current_url
    path, _, query = booking.partition("?")
    b.get(urllib.parse.urlsplit(path).path + "/reschedule?" + query)
    set_value(b, "input#pick_up", (friday + dt.timedelta(days=1)).isoformat())
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Change the dates']"))
    assert "$270.00" in b.find("main").text, b.find("main").text  # Saturday–Sunday: 3 × 2 days


def test_the_owner_creates_a_walk_in_queue_from_the_manage_pages(browser):
    b = browser
    log_in(b, "owner@demo.test")
    b.get("/manage/demo/")
    b.click(b.link("Queues"))
    b.click(b.link("Create a queue"))
    b.find("input#name").send_keys("Walk-in nails")
    for day in ("mon", "tue", "wed", "thu", "fri", "sat"):
        set_value(b, f"input#opens_{day}", "09:00")
        set_value(b, f"input#closes_{day}", "17:00")
    b.find("input#service_name_0").send_keys("Manicure")
    b.find("input#service_minutes_0").send_keys("25")
    b.find("input#server_sam-stylist").click()
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Create the queue']"))
    text = b.find("main").text
    assert "Queue created." in text and "Walk-in nails" in text, text
    row = "//main//tr[th[normalize-space()='Walk-in nails']]"
    b.click(b.driver.find_element(By.XPATH, row + "//a[normalize-space()='Join page']"))
    assert b.path() == "/q/demo/walk-in-nails", b.path()
