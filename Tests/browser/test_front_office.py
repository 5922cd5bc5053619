"""The front office in a real browser (issue 19): the front desk takes a phone booking for next week
for an existing customer, the owner finds it on the customer's page, opens the reports, downloads the
month's bookings as CSV and erases another customer on request.

Uses Liam Chen and Noah Kim (demo customers; test_outbox resends Noah's confirmation, so this file runs after it: conftest.py, CHANGES_THE_DEMO).
"""
import datetime as dt
import urllib.error
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By

from conftest import BUSINESS_ZONE
from test_staff import log_in


def button(b, text):
    return b.driver.find_element(By.XPATH, f"//main//button[normalize-space()='{text}']")


def set_value(b, css, value):
    """Date inputs take typed text in the browser's locale; the value is set directly instead."""
    b.driver.execute_script("arguments[0].value = arguments[1];", b.find(css), value)


def log_out(b):
    b.click(b.driver.find_element(By.XPATH, "//header//button[normalize-space()='Log out']"))


def open_customer(b, query, name):
    b.get("/manage/demo/customers")
    b.find("input#q").send_keys(query)
    b.click(button(b, "Search"))
    b.click(b.link(name))
    assert b.h1() == name, b.h1()


def next_week_weekday():
    """Tuesday of next week (business zone): a working day a week or more ahead."""
    today = dt.datetime.now(BUSINESS_ZONE).date()
    return today + dt.timedelta(days=7 - today.weekday() + 1)


def test_phone_booking_then_customer_page_reports_month_csv_and_an_erasure(browser):
    b = browser
    day = next_week_weekday()

    # The front desk: from the calendar, "Book for a customer", find Liam, pick the consultation next week.
    log_in(b, "frontdesk@demo.test")
    b.get("/staff/demo/calendar")
    b.click(b.link("Book for a customer"))
    assert b.h1() == "Book for a customer"
    b.find("input#q").send_keys("Liam")
    b.click(button(b, "Find"))
    b.click(b.driver.find_element(By.PARTIAL_LINK_TEXT, "Book for Liam"))
    assert "Booking for Liam" in b.find("main").text
    b.driver.find_element(By.CSS_SELECTOR, "select#offer option[value='consultation']").click()
    set_value(b, "input#date", day.isoformat())
    b.click(button(b, "Show free times"))
    starts = b.find_all("input[name='start']")
    assert starts, "no free times listed"
    chosen = starts[2]
    start_value = chosen.get_attribute("value")
    chosen.click()
    assert b.find("input#send").is_selected(), "the confirmation is sent unless unticked"
    b.assert_no_serious_axe_violations()
    b.click(button(b, "Book"))
    assert b.path() == "/staff/demo/calendar", b.driver.current_url
    assert "Booking made." in b.find("main").text
    log_out(b)

    # The owner: the customer's page lists the new booking next to the demo one.
    log_in(b, "owner@demo.test")
    open_customer(b, "Liam", "Liam Chen")
    local = dt.datetime.fromisoformat(start_value.split(" ")[0].replace("Z", "+00:00")).astimezone(BUSINESS_ZONE)
    stamp = local.strftime("%Y-%m-%d %H:%M")
    rows = [r.text for r in b.find_all("main table tbody tr")]
    assert len(rows) == 2, rows
    assert any(stamp in r and "Consultation" in r and "Confirmed" in r for r in rows), (stamp, rows)

    # Reports: the chart with its title, and its numbers in a table.
    b.click(b.link("Reports"))
    assert b.h1() == "Reports"
    set_value(b, "input#from", day.replace(day=1).isoformat())
    set_value(b, "input#to", day.isoformat())
    b.click(button(b, "Show the report"))
    assert b.find_all("svg.chart title"), "no chart title"
    assert "Utilisation per resource" in b.find("main").text
    b.assert_no_serious_axe_violations()

    # Exports: the month of the booking as CSV, downloaded with the owner's session.
    b.click(b.link("Exports"))
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    set_value(b, "input#from", first.isoformat())
    set_value(b, "input#to", last.isoformat())
    # The attribute as written may be relative: resolve it against the page, as the browser would.
    action = urllib.parse.urljoin(b.driver.current_url, b.find("button[formaction$='bookings.csv']").get_attribute("formaction"))
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in b.driver.get_cookies())
    request = urllib.request.Request(f"{action}?from={first.isoformat()}&to={last.isoformat()}", headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=\"demo-bookings-")
        body = response.read().decode("utf-8")
    assert body.startswith("booking,start,end,service,status,customer,email,phone,")
    assert any(line.startswith("bk_") and stamp in line and "Liam Chen" in line for line in body.split("\r\n")), body

    # Erasure on request: Noah's booking is still ahead, so it is cancelled first, then he is forgotten.
    open_customer(b, "Noah", "Noah Kim")
    b.find("input#confirm").click()
    b.click(button(b, "Erase this customer"))
    assert "There is a problem" in b.find("main").text and "Cancel the upcoming booking" in b.find("main").text
    b.click(b.find("main table tbody tr a"))
    b.find("input#cancel-reason").send_keys("Asked to be forgotten")
    b.click(button(b, "Cancel this booking"))
    assert "Booking cancelled." in b.find("main").text
    open_customer(b, "Noah", "Noah Kim")
    b.find("input#confirm").click()
    b.click(button(b, "Erase this customer"))
    assert b.path() == "/manage/demo/customers"
    b.find("input#q").send_keys("Noah")
    b.click(button(b, "Search"))
    assert "No customer matches" in b.find("main").text
