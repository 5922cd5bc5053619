"""The owner's outbox page and email settings, and a guest's "resend my confirmation" (issue 14)."""
from selenium.webdriver.common.by import By

from test_password_reset import mail_to, type_into
from test_staff import log_in


def test_owner_sees_the_demo_confirmations_sent_and_sets_a_second_reminder(browser):
    b = browser
    log_in(b, "owner@demo.test")
    b.get("/manage/demo/outbox")
    assert b.h1() == "Outbox"
    b.assert_no_serious_axe_violations()
    statuses = [e.text for e in b.find_all("table.outbox tbody td strong")]
    assert "sent" in statuses, statuses
    b.get("/manage/demo/settings")
    type_into(b, "input[name=second_reminder_hours]", "2")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Save email settings']"))
    assert b.find("input[name=second_reminder_hours]").get_attribute("value") == "2"


def test_guest_asks_for_the_confirmation_again(browser):
    b = browser
    b.get("/b/demo")
    b.click(b.link("Send it again"))
    assert b.h1() == "Resend my confirmation"
    b.assert_no_serious_axe_violations()
    type_into(b, "input[name=email]", "noah.kim@example.com")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Send it again']"))
    assert "we have sent its confirmation again" in b.find("[role=status]").text
    subject, text = mail_to("noah.kim@example.com", "Booking confirmed", containing="earlier links no longer work")
    assert "/bookings/" in text and "?token=" in text
