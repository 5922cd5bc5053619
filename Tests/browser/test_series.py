"""A weekly series in a real browser (issue 17, "Done when").

A tutor's student books ten Tuesdays-style weekly sessions in one go (the dates are shown before
confirming), opens the series from the confirmation and moves the third occurrence alone: it moves,
the other nine keep their time.
"""
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import business_weekday
from test_staff import log_in


def test_a_weekly_series_of_ten_is_booked_in_one_go_and_the_third_is_moved_alone(browser):
    b = browser
    day = business_weekday(days_ahead_at_least=7, index=0)
    log_in(b, "customer@demo.test")
    b.get(f"/b/demo/consultation?date={day.isoformat()}")
    b.click(b.link("Book the same time every week"))
    assert b.h1().startswith("Book ") and b.h1().endswith("every week")
    start = Select(b.find("select#start"))
    labels = [o.text.strip() for o in start.options]
    start.select_by_visible_text("16:00" if "16:00" in labels else labels[0])
    first_time = start.first_selected_option.text.strip()
    count = b.find("input#count")
    count.clear()
    count.send_keys("10")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Check the dates']"))
    dates = [li.text for li in b.find_all("ol.series-dates li")]
    skipped = [li.text for li in b.find_all("ul.series-skipped li")]
    assert len(dates) + len(skipped) == 10, (dates, skipped)
    assert len(dates) >= 3, (dates, skipped)
    b.click(b.driver.find_element(By.XPATH, f"//button[normalize-space()='Book these {len(dates)} dates']"))
    assert b.h1() == "Your series is booked"
    b.assert_no_serious_axe_violations()

    b.click(b.link("See and change the series"))
    assert b.h1().startswith("Series: ")
    items = b.find_all("li.series-occurrence")
    assert len(items) == len(dates)
    whens = [li.find_element(By.CSS_SELECTOR, ".series-when").text for li in items]
    assert all(w.endswith(f"at {first_time}") for w in whens), whens
    b.assert_no_serious_axe_violations()

    # The third one alone: its move page lists the day's free times; "Only this one" is the default
    b.click(items[2].find_element(By.PARTIAL_LINK_TEXT, "Move"))
    assert b.h1() == "Move a booking of the series"
    assert whens[2] in b.find("main").text
    choices = b.find_all("input[name=start]")
    assert choices, "no free time to move to that day"
    choice = choices[-1]
    new_time = b.driver.find_element(By.CSS_SELECTOR, f"label[for='{choice.get_attribute('id')}']").text.strip()
    choice.click()
    assert b.find("input#scope-one").is_selected()
    b.assert_no_serious_axe_violations()
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Move']"))
    assert "Done: the booking was moved" in b.find("[role=status]").text

    after = [li.find_element(By.CSS_SELECTOR, ".series-when").text for li in b.find_all("li.series-occurrence")]
    assert len(after) == len(dates)
    assert after[2] == re.sub(r"at \d\d:\d\d$", f"at {new_time}", whens[2]), (after[2], new_time)
    assert [w for i, w in enumerate(after) if i != 2] == [w for i, w in enumerate(whens) if i != 2]
