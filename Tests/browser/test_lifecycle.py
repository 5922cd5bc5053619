"""Approvals and waitlists in a real browser (issue 17, "Done when").

A customer joins the waitlist of a full yoga class, another customer cancels, the first gets the
waitlist email (SMTP sink), claims the place through its link and sees the booking; an owner approves
a pending new-patient visit from the staff approval queue.
"""
import re

from selenium.webdriver.common.by import By

from conftest import business_weekday
from test_booking import booking_status, fill_checkout, go_to_day
from test_password_reset import mail_to, type_into
from test_staff import log_in


def book_yoga(b, day, name, email, party):
    b.get(f"/b/demo/yoga-class?date={day.isoformat()}")
    forms = [f for f in b.find_all("form.slot") if f.find_element(By.TAG_NAME, "button").text.strip() == "12:00"]
    assert len(forms) == 1, f"expected one 12:00 class on {day}"
    box = forms[0].find_element(By.CSS_SELECTOR, "input[name=party_size]")
    box.clear()
    box.send_keys(str(party))
    b.click(forms[0].find_element(By.TAG_NAME, "button"))
    fill_checkout(b, {"name": name, "email": email, "phone": ""})
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))
    assert booking_status(b) == "Confirmed"
    return b.driver.current_url


def test_a_waiting_customer_gets_the_freed_seat_by_email_and_claims_it(browser):
    b = browser
    day = business_weekday(index=3)
    book_yoga(b, day, "Fiona Full", "fiona.full@example.com", 9)
    canceller = book_yoga(b, day, "Ben Booker", "ben.booker@example.com", 1)
    b.driver.delete_all_cookies()

    # The class is full: the page offers the waitlist instead of the 12:00 slot
    b.get("/b/demo/yoga-class")
    go_to_day(b, "yoga-class", day)
    assert not [f for f in b.find_all("form.slot") if f.find_element(By.TAG_NAME, "button").text.strip() == "12:00"]
    join = b.driver.find_element(By.XPATH, "//button[normalize-space()='Join the waitlist for 12:00']")
    form = join.find_element(By.XPATH, "ancestor::form")
    form.find_element(By.CSS_SELECTOR, "input[name=name]").send_keys("Wanda Waiting")
    form.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys("wanda.waiting@example.com")
    b.click(join)
    assert b.h1() == "Waitlist: Lunchtime yoga"
    assert "You are on the waitlist." in b.find("p.waitlist-status").text
    assert b.find("dd.waitlist-position").text.strip() == "1"
    b.assert_no_serious_axe_violations()
    entry_page = b.driver.current_url

    # Another customer cancels: the seat is held for Wanda and she is emailed the claim link
    b.driver.delete_all_cookies()
    b.get(canceller)
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Cancel this booking']"))
    assert booking_status(b) == "Cancelled"
    subject, text = mail_to("wanda.waiting@example.com", "A place is free: Lunchtime yoga", timeout=20)
    claim = re.search(r"Claim it: (\S+)", text)
    assert claim, text
    b.get(entry_page)
    assert "claim it" in b.find("p.waitlist-status").text

    # She claims it: the checkout is filled with her details, and the booking is hers
    b.get(claim.group(1))
    assert b.h1() == "Confirm your booking"
    assert b.find("form input[name=email]").get_attribute("value") == "wanda.waiting@example.com"
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))
    assert booking_status(b) == "Confirmed"
    assert "Lunchtime yoga" in b.find("main").text
    b.get(entry_page)
    assert "You claimed your place" in b.find("p.waitlist-status").text


def test_the_owner_approves_a_pending_new_patient_visit_from_the_staff_pages(browser):
    b = browser
    day = business_weekday(index=3)
    b.get(f"/b/demo/new-patient-visit?date={day.isoformat()}")
    starts = [e for e in b.find_all("form.slot button")]
    assert starts, f"no free visit times on {day}"
    b.click(starts[0])
    fill_checkout(b, {"name": "Paula Patient", "email": "paula.patient@example.com", "phone": "",
                     "q_reason": "A first check-up"})
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Confirm booking']"))
    booking = b.driver.current_url
    assert booking_status(b) != "Confirmed"

    b.driver.delete_all_cookies()
    log_in(b, "owner@demo.test")
    b.get("/staff/demo/approvals")
    assert b.h1() == "Bookings waiting for approval"
    item = [li for li in b.find_all("li.approval") if "Paula Patient" in li.text]
    assert len(item) == 1, [li.text for li in b.find_all("li.approval")]
    b.click(item[0].find_element(By.XPATH, ".//button[normalize-space()='Approve']"))
    assert "Booking approved" in b.find("[role=status]").text
    assert not [li for li in b.find_all("li.approval") if "Paula Patient" in li.text]
    mail_to("paula.patient@example.com", "Booking approved: New patient visit", timeout=20)

    b.driver.delete_all_cookies()
    b.get(booking)
    assert booking_status(b) == "Confirmed"
