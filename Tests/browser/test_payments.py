"""Paying a deposit in a real browser (issue 16): the owner connects Stripe (the localstripe double that
run.sh starts; BIZING_STRIPE_URL), then a guest books the treatment, which takes a 20 % deposit, and
pays it with a test card in the Payment Element (localstripe's stand-in for Stripe.js)."""
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import business_weekday
from test_booking import booking_status, fill_checkout, slot_button, slot_starts
from test_staff import log_in


def connect_stripe(b):
    """The owner connects the demo business to the Stripe double (once per server; a no-op after)."""
    if not os.environ.get("BIZING_STRIPE_URL"):
        pytest.skip("no Stripe double (BIZING_STRIPE_URL)")
    log_in(b, "owner@demo.test")
    b.get("/manage/demo/payments")
    assert b.h1() == "Payments"
    if "Stripe is connected" not in b.find("main").text:
        b.find("input#secret_key").send_keys("sk_test_browser0001")
        b.find("input#publishable_key").send_keys("pk_test_browser0001")
        b.find("input#webhook_secret").send_keys("whsec_browser0001")
        b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Connect Stripe']"))
        assert "Stripe is connected" in b.find("main").text
    assert "sk_test_…0001" in b.find("main").text
    assert "sk_test_browser0001" not in b.driver.page_source
    b.driver.delete_all_cookies()


def fill_card(b, number="4242424242424242"):
    WebDriverWait(b.driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#payment-element input"))
    for placeholder, value in (("number", number), ("exp_month", "12"), ("exp_year", "30"),
                               ("cvc", "123"), ("postal_code", "10001")):
        b.find(f"#payment-element input[placeholder={placeholder}]").send_keys(value)


def test_guest_pays_the_treatment_deposit_with_a_card(browser):
    b = browser
    connect_stripe(b)

    day = business_weekday(days_ahead_at_least=8, index=9)
    b.get(f"/b/demo/treatment?date={day.isoformat()}")
    starts = slot_starts(b)
    assert starts, "no free treatment time"
    b.click(slot_button(b, starts[0]))
    assert "A card is needed to book" in b.find("main").text
    fill_checkout(b, {"name": "Paula Payer", "email": "paula.payer@example.com"})
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Continue to payment']"))
    assert b.h1() == "Pay $18.00 to book"
    assert "A card is needed to book" in b.find("main").text
    fill_card(b)
    b.assert_no_serious_axe_violations()
    b.click(b.find("button#pay-button"))
    assert b.path().startswith("/bookings/"), b.driver.current_url
    assert booking_status(b) == "Confirmed"


def test_guest_saves_a_card_for_the_no_show_fee_when_nothing_is_due(browser):
    """The consultation takes nothing online but has a 50 % no-show fee: the card is saved with a
    SetupIntent (the stand-in Stripe.js gives a card token; the server confirms), nothing is charged."""
    b = browser
    connect_stripe(b)
    day = business_weekday(days_ahead_at_least=9, index=10)
    b.get(f"/b/demo/consultation?date={day.isoformat()}")
    starts = slot_starts(b)
    assert starts, "no free consultation time"
    b.click(slot_button(b, starts[0]))
    assert "nothing is taken now" in b.find("main").text
    fill_checkout(b, {"name": "Nadia Card", "email": "nadia.card@example.com"})
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Continue to payment']"))
    assert b.h1() == "Add a card to book"
    assert "no-show fee of $20.00" in b.find("main").text
    fill_card(b)
    b.assert_no_serious_axe_violations()
    b.click(b.find("button#pay-button"))
    assert b.path().startswith("/bookings/"), b.driver.current_url
    assert booking_status(b) == "Confirmed"
