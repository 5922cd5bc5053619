"""Prepaid value in a real browser (issue 18, "Done when"): the demo customer buys the yoga-5 package
by card (the localstripe double's stand-in Stripe.js), books two yoga classes with its credits and sees
3 left with their expiry on /account/wallet; the promo code WELCOME20 takes 20 % off a consultation; the
gift card GIFT-DEMO-50 pays part of a treatment and the card pays the rest (the treatment's 20 % deposit
now, the remainder at the venue); and (last, as it makes Casey a member) Casey subscribes to the demo
membership yoga-monthly by card and sees the month's 4 credits. Stripe is connected here, so this file changes the demo for good
(conftest.CHANGES_THE_DEMO)."""
import datetime as dt

from selenium.webdriver.common.by import By

from conftest import BUSINESS_ZONE, business_weekday
from test_booking import booking_status, slot_button, slot_starts
from test_payments import connect_stripe, fill_card
from test_staff import log_in


def long_date(day):
    """HumanTime.longDate: "Tuesday 5 January 2027"."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def submit_checkout(b):
    b.click(b.driver.find_element(
        By.XPATH, "//main//button[normalize-space()='Confirm booking' or normalize-space()='Continue to payment']"))


def checkout_first_time(b, offer, day):
    """Signed in as the demo customer (Stripe connected): the checkout of the first free time of `offer` on `day`."""
    connect_stripe(b)
    log_in(b, "customer@demo.test")
    b.get(f"/b/demo/{offer}?date={day.isoformat()}")
    starts = slot_starts(b)
    assert starts, f"no free {offer} time on {day}"
    b.click(slot_button(b, starts[0]))
    assert b.h1() == "Confirm your booking"


def book_yoga_with_a_credit(b, day):
    b.get(f"/b/demo/yoga-class?date={day.isoformat()}")
    forms = [f for f in b.find_all("form.slot") if f.find_element(By.TAG_NAME, "button").text.strip() == "12:00"]
    assert len(forms) == 1, f"expected one 12:00 class on {day}"
    b.click(forms[0].find_element(By.TAG_NAME, "button"))
    assert b.h1() == "Confirm your booking"
    credit = b.find("input#pay_with-credit")
    label = b.find("label[for=pay_with-credit]").text
    assert "Use 1 credit from yoga-5" in label, label
    credit.click()
    submit_checkout(b)
    assert booking_status(b) == "Confirmed"
    assert "Paid with 1 credit (yoga-5)" in b.find("table.price-lines").text


def test_customer_buys_yoga_5_by_card_books_two_classes_and_sees_three_left(browser):
    b = browser
    connect_stripe(b)
    log_in(b, "customer@demo.test")
    bought_on = dt.datetime.now(BUSINESS_ZONE).date()

    b.get("/b/demo")
    b.click(b.link("Packages and gift cards"))
    assert b.h1() == "Packages and gift cards"
    assert "5 credits for Lunchtime yoga, valid 90 days from purchase" in b.find("main").text
    b.click(b.driver.find_element(By.XPATH, "//main//button[starts-with(normalize-space(), 'Buy yoga-5')]"))
    assert b.h1() == "Pay $60.00 for yoga-5"
    fill_card(b)
    b.assert_no_serious_axe_violations()
    b.click(b.find("button#pay-button"))
    assert b.h1() == "Thank you: yoga-5 is in your wallet", b.find("main").text
    valid_until = long_date(bought_on + dt.timedelta(days=90))
    assert f"valid until {valid_until}" in b.find("main").text

    for index in (20, 21):
        book_yoga_with_a_credit(b, business_weekday(days_ahead_at_least=8, index=index))

    b.get("/account/wallet")
    assert b.h1() == "Your wallet"
    lots = [e for e in b.find_all("article.wallet-lot") if "yoga-5" in e.find_element(By.TAG_NAME, "h3").text]
    assert len(lots) == 1, [e.text for e in lots]
    assert f"3 left, valid until {valid_until}" in lots[0].find_element(By.CSS_SELECTOR, "p.wallet-balance").text
    assert "paid by card" in lots[0].text
    history = lots[0].find_element(By.TAG_NAME, "table").text
    assert history.count("Used for a booking") == 2, history
    b.assert_no_serious_axe_violations()


def test_welcome20_takes_20_percent_off_a_consultation(browser):
    b = browser
    checkout_first_time(b, "consultation", business_weekday(days_ahead_at_least=8, index=22))
    b.find("input#promo_code").send_keys("WELCOME20")
    submit_checkout(b)
    if b.h1() == "Add a card to book":  # Stripe connected: the card is kept for the no-show fee, nothing taken
        assert "Promo code WELCOME20 −20%" in b.find("table.price-lines").text
        fill_card(b)
        b.click(b.find("button#pay-button"))
    assert booking_status(b) == "Confirmed"
    prices = b.find("table.price-lines").text
    assert "Promo code WELCOME20 −20%" in prices, prices
    assert "$8.00" in prices and "Total $32.00" in prices, prices


def test_a_gift_card_pays_part_of_a_treatment_and_the_card_pays_the_rest(browser):
    b = browser
    checkout_first_time(b, "treatment", business_weekday(days_ahead_at_least=8, index=23))
    b.find("input#promo_code").send_keys("GIFT-DEMO-50")
    submit_checkout(b)
    # The card took $50.00 of the $90.00; the treatment's deposit ($18.00) is paid by card now, the rest at the venue.
    assert b.h1() == "Pay $18.00 to book", b.find("main").text
    prices = b.find("table.price-lines").text
    assert "Gift card …O-50" in prices and "Total $40.00" in prices, prices
    assert "the remaining $22.00 is paid at the venue" in b.find("main").text
    fill_card(b)
    b.click(b.find("button#pay-button"))
    assert booking_status(b) == "Confirmed"
    assert "Gift card …O-50" in b.find("table.price-lines").text
    b.get("/account/wallet")
    cards = [e for e in b.find_all("article.wallet-lot") if "Gift card GIFT-DEMO-50" in e.find_element(By.TAG_NAME, "h3").text]
    assert cards and "$0.00 left" in cards[0].find_element(By.CSS_SELECTOR, "p.wallet-balance").text


def test_customer_subscribes_to_yoga_monthly_by_card_and_sees_the_months_credits(browser):
    b = browser
    connect_stripe(b)
    log_in(b, "customer@demo.test")
    b.get("/b/demo/memberships")
    assert b.h1().startswith("Memberships at")
    assert "You pay the first month by card now" in b.find("main").text
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Subscribe to yoga-monthly']"))
    assert b.h1() == "Pay $45.00 for yoga-monthly", b.find("main").text
    assert "Your card is kept with Stripe to pay the next months" in b.find("main").text
    fill_card(b)
    b.assert_no_serious_axe_violations()
    b.click(b.find("button#pay-button"))
    assert b.h1() == "Your wallet", b.find("main").text
    members = [e for e in b.find_all("article.wallet-membership") if "yoga-monthly" in e.find_element(By.TAG_NAME, "h3").text]
    assert len(members) == 1, [e.text for e in members]
    text = members[0].text
    assert "Active since" in text, text
    assert "4 credits left this month, valid until" in text, text
    assert "Next month starts" in text, text
    assert "Pay by card" not in text, text
    b.assert_no_serious_axe_violations()
