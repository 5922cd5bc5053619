"""Shared fixtures for the browser tests: a headless Chromium per test, page checks, screenshots on failure.

Run through Tests/browser/run.sh, which starts `bizing serve --demo` and sets BIZING_URL.
"""
import datetime as dt
import os
import pathlib
import re
import urllib.parse
import zoneinfo

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import html_check

HERE = pathlib.Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
BUSINESS_ZONE = zoneinfo.ZoneInfo("America/New_York")

# Every input a person can fill must have a label (or an aria-label).
UNLABELLED_INPUTS_JS = """
return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  .filter(e => !(e.labels && e.labels.length > 0) && !(e.getAttribute('aria-label') || '').trim()
               && !(e.getAttribute('aria-labelledby') || '').trim())
  .map(e => e.outerHTML);
"""

AXE_RUN_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          targets: v.nodes.map(n => n.target.join(' '))}))))
  .catch(e => done({error: String(e)}));
"""


def _axe_source():
    try:
        import importlib.resources
        return (importlib.resources.files("axe_core_python") / "axe.min.js").read_text(encoding="utf-8")
    except Exception:  # package missing: the axe checks are skipped, not failed
        return None


AXE_SOURCE = _axe_source()


def business_weekday(days_ahead_at_least=2, index=0):
    """The index-th Monday–Friday (business time zone) at least `days_ahead_at_least` days from today."""
    day = dt.datetime.now(BUSINESS_ZONE).date() + dt.timedelta(days=days_ahead_at_least)
    found = -1
    while True:
        if day.weekday() < 5:
            found += 1
            if found == index:
                return day
        day += dt.timedelta(days=1)


class Browser:
    """A thin layer over the WebDriver: counts clicks and checks every page it lands on."""

    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url
        self.clicks = 0
        self.visited = []
        self.sources = []  # (url, html) of the customer pages visited, validated when the test ends

    def url(self, path):
        return urllib.parse.urljoin(self.base_url, path)

    def path(self):
        parts = urllib.parse.urlsplit(self.driver.current_url)
        return parts.path

    def get(self, path):
        self.driver.get(self.url(path))
        self.check_page()

    def click(self, element):
        """A user's click that loads a new page."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.clicks += 1
        element.click()
        self.wait_for_new_page(old)

    def wait_for_new_page(self, old_html):
        WebDriverWait(self.driver, 15).until(lambda d: self._stale(old_html))
        WebDriverWait(self.driver, 15).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        self.check_page()

    @staticmethod
    def _stale(element):
        try:
            element.tag_name
            return False
        except Exception:
            return True

    def h1(self):
        return self.driver.find_element(By.TAG_NAME, "h1").text.strip()

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def link(self, text):
        return self.driver.find_element(By.LINK_TEXT, text)

    def check_page(self):
        """What every page must have: one h1, a language, a label for every input."""
        d = self.driver
        where = d.current_url
        self.visited.append(where)
        h1s = d.find_elements(By.TAG_NAME, "h1")
        assert len(h1s) == 1, f"{where}: expected exactly one <h1>, found {len(h1s)}"
        lang = d.execute_script("return document.documentElement.getAttribute('lang')")
        assert lang and lang.strip(), f"{where}: <html> has no lang attribute"
        unlabelled = d.execute_script(UNLABELLED_INPUTS_JS)
        assert not unlabelled, f"{where}: inputs without a label: {unlabelled}"
        html_check.collect(d, self.sources)

    def axe(self, impacts=("serious", "critical")):
        """axe-core violations of the given impacts on the current page (axe-core-python ships axe.min.js)."""
        if AXE_SOURCE is None:
            pytest.skip("axe-core-python is not installed")
        self.driver.execute_script(AXE_SOURCE)
        result = self.driver.execute_async_script(AXE_RUN_JS)
        assert not (isinstance(result, dict) and "error" in result), f"axe failed: {result}"
        return [v for v in result if v["impact"] in impacts]

    def assert_no_serious_axe_violations(self):
        bad = self.axe()
        assert not bad, f"{self.driver.current_url}: axe-core serious/critical violations:\n" + "\n".join(
            f"  {v['impact']} {v['id']}: {v['help']} at {v['targets'][:5]}" for v in bad)


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("BIZING_URL")
    if not url:
        pytest.exit("BIZING_URL is not set: run Tests/browser/run.sh", returncode=2)
    return url.rstrip("/") + "/"


@pytest.fixture
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--disable-gpu", "--no-first-run", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # page sources for html_check
    service = Service(executable_path="/usr/bin/chromedriver")
    drv = webdriver.Chrome(service=service, options=options)
    drv.set_page_load_timeout(30)
    drv.set_script_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture
def browser(driver, base_url):
    b = Browser(driver, base_url)
    yield b
    invalid = html_check.errors(b.sources)
    assert not invalid, "the HTML checker (vnu) found errors:\n" + "\n".join(invalid[:60])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        drv = item.funcargs.get("driver") if hasattr(item, "funcargs") else None
        if drv is not None:
            SCREENSHOTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])
            try:
                drv.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
                (SCREENSHOTS / f"{name}.html").write_text(drv.page_source, encoding="utf-8")
                report.sections.append(("screenshot", f"{SCREENSHOTS / name}.png ({drv.current_url})"))
            except Exception as error:  # a dead browser must not hide the real failure
                report.sections.append(("screenshot", f"could not save: {error}"))


def pytest_terminal_summary(terminalreporter):
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    terminalreporter.write_line(f"browser: {passed} passed, {failed} failed")


# Every test shares one demo server. These files change the demo for good in ways other tests would
# see: a new host that "any host" offers then use (test_api_webhooks), a demo customer erased
# (test_front_office), Stripe connected so deposits are asked for online (test_payments; test_wallet,
# which also buys a package and spends GIFT-DEMO-50). They run
# last, in their own alphabetical order (the order the full suite has passed them in); the rest see
# the demo as seeded.
CHANGES_THE_DEMO = ("test_api_webhooks.py", "test_front_office.py", "test_payments.py", "test_wallet.py")


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: pathlib.Path(str(item.fspath)).name in CHANGES_THE_DEMO)
