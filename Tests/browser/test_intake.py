"""Intake questions in a real browser (issue 19, "Done when"): an owner adds a required question to
the consultation in the builder and publishes; a customer leaves it empty, sees the error, answers it
and books. The question is removed again at the end (published), so the other tests' consultations
are not asked it.
"""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import business_weekday
from test_booking import booking_status, fill_checkout, go_to_day, slot_button, slot_starts
from test_staff import log_in

QUESTION = "Is this your first visit with us?"


def button(b, text):
    return b.driver.find_element(By.XPATH, f"//button[normalize-space()='{text}']")


def remove_question(b):
    """Removes the question from the consultation and publishes, as the owner."""
    b.driver.delete_all_cookies()
    log_in(b, "owner@demo.test")
    b.get("/manage/demo/offers/consultation")
    removers = b.driver.find_elements(By.XPATH, f"//button[normalize-space()='Remove “{QUESTION}”']")
    if removers:
        b.click(removers[0])
        b.click(b.driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Publish draft')]"))


def test_an_owner_adds_a_required_question_and_a_customer_answers_it_after_the_error(browser):
    b = browser
    log_in(b, "owner@demo.test")
    b.get("/manage/demo/offers/consultation")
    assert b.find("h2#questions-heading").text == "Questions at checkout"
    b.find("input#question_label").send_keys(QUESTION)
    b.find("input#question_key").send_keys("first_visit")
    Select(b.find("select#question_kind")).select_by_visible_text("Yes or no")
    b.find("input#question_required").click()
    b.click(button(b, "Add question"))
    assert QUESTION in b.find("li#question-first_visit").text
    b.click(b.driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Publish draft')]"))
    try:
        b.driver.delete_all_cookies()
        day = business_weekday(days_ahead_at_least=8, index=15)
        b.get("/b/demo/consultation")
        go_to_day(b, "consultation", day)
        starts = slot_starts(b)
        assert starts, f"no consultation slots on {day}"
        b.click(slot_button(b, starts[0]))
        assert b.h1() == "Confirm your booking"
        assert b.find("fieldset.intake legend").text.startswith(QUESTION)
        fill_checkout(b, {"name": "Ivy Intake", "email": "ivy.intake@example.com", "phone": ""})
        b.click(button(b, "Confirm booking"))

        # Left empty: the summary at the top links to the question, the message stands beside it, the rest is kept.
        summary = b.find("div.error-summary")
        assert "There is a problem" in summary.text
        link = summary.find_element(By.CSS_SELECTOR, "a[href='#q_first_visit']")
        assert QUESTION in link.text
        assert QUESTION in b.find("p#q_first_visit-error").text
        assert b.find("input#name").get_attribute("value") == "Ivy Intake"
        assert b.find("input#email").get_attribute("value") == "ivy.intake@example.com"
        b.assert_no_serious_axe_violations()

        b.find("input#q_first_visit").click()   # "Yes"
        b.click(button(b, "Confirm booking"))
        assert booking_status(b) == "Confirmed"
    finally:
        remove_question(b)
    b.get("/manage/demo/offers/consultation")
    assert b.find("p#no-questions")
