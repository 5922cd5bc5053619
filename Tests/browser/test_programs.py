"""Programs with attendance in a real browser (issue 17).

A customer enrols in the demo's four-week beginners' course and sees its four sessions on their
booking page; the owner finds the course's third session on the staff calendar's day view of its
own date, opens that session's roster from it, sees the customer there, and is told attendance can
be marked only from an hour before the session (the demo's course starts more than a week ahead).
"""
import datetime as dt

from selenium.webdriver.common.by import By

from conftest import BUSINESS_ZONE
from test_staff import log_in


def third_session_date():
    """The demo's run starts the second Saturday from the day it was seeded (today)."""
    day = dt.datetime.now(BUSINESS_ZONE).date() + dt.timedelta(days=8)
    while day.weekday() != 5:
        day += dt.timedelta(days=1)
    return day + dt.timedelta(days=14)


def test_a_customer_enrols_in_a_course_and_staff_find_each_session_on_its_day(browser):
    b = browser
    b.get("/b/demo/programs/beginners-yoga-course")
    assert b.h1() == "Beginners' yoga course"
    b.find("input[name=run]").click()  # a radio: no new page
    b.find("input#program-name").send_keys("Cora Course")
    b.find("input#program-email").send_keys("cora.course@example.com")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Enrol']"))
    assert "Your sessions: Saturday mornings" in b.find("main").text
    sessions = b.find_all("ol.program-sessions li")
    assert len(sessions) == 4, [s.text for s in sessions]
    b.assert_no_serious_axe_violations()

    b.driver.delete_all_cookies()
    log_in(b, "owner@demo.test")
    b.get(f"/staff/demo/calendar?date={third_session_date().isoformat()}&view=day")
    links = [a for a in b.find_all("table.calendar-grid a") if "/program-sessions/" in (a.get_attribute("href") or "")]
    assert len(links) == 1, [a.get_attribute("href") for a in b.find_all("table.calendar-grid a")]
    b.click(links[0])
    assert "Cora Course" in b.find("table.roster").text
    row = [tr for tr in b.find_all("table.roster tbody tr") if "Cora Course" in tr.text][0]
    assert "Not marked" in row.text
    b.click(row.find_element(By.XPATH, ".//button[normalize-space()='Attended']"))
    assert "attendance can be marked from an hour before the session starts" in b.find("main").text
