"""Password reset in a real browser (issue 14): the link arrives at a real SMTP sink, works once.

run.sh starts an SMTP sink (Tests/services/smtp_sink.py) and passes --smtp to the server; each
message the sink accepts is DIR/NNNNNN.json (envelope and parsed parts), DIR given as BIZING_MAIL_DIR.
"""
import base64
import json
import os
import pathlib
import re
import time
import uuid

from selenium.webdriver.common.by import By


def type_into(b, css, text):
    box = b.find(css)
    box.clear()
    box.send_keys(text)


def mail_to(address, subject, containing="", timeout=10):
    """The newest message to `address` whose subject starts with `subject`, as (subject, plain text)."""
    directory = pathlib.Path(os.environ["BIZING_MAIL_DIR"])
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(directory.glob("*.json"), reverse=True):
            record = json.loads(path.read_text(encoding="utf-8"))
            if address not in record.get("rcpt_tos", []):
                continue
            parsed = record.get("parsed", {})
            headers = dict((name.lower(), value) for name, value in parsed.get("headers", []))
            if not headers.get("subject", "").startswith(subject):
                continue
            for part in parsed.get("parts", []):
                if part.get("content_type") == "text/plain":
                    text = base64.b64decode(part["payload_base64"]).decode("utf-8")
                    if containing in text:
                        return headers["subject"], text
        time.sleep(0.2)
    raise AssertionError(f"no message to {address} with subject {subject!r} within {timeout} s")


def test_forgotten_password_is_reset_through_the_emailed_link_once(browser):
    b = browser
    email = f"reset-{uuid.uuid4().hex[:8]}@example.com"

    # An account to reset.
    b.get("/signup")
    type_into(b, "input[name=name]", "Rosa Reset")
    type_into(b, "input[name=email]", email)
    type_into(b, "input[name=password]", "the old password")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Sign up']"))
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Log out']"))

    # From the log-in page: "Forgot your password?"
    b.get("/login")
    b.click(b.link("Forgot your password?"))
    assert b.h1() == "Forgot your password?"
    b.assert_no_serious_axe_violations()
    type_into(b, "input[name=email]", email)
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Send the link']"))
    assert f"If an account uses {email}" in b.find("[role=status]").text

    # The link in the email opens the form.
    subject, text = mail_to(email, "Reset your Bizing password")
    link = re.search(r"https?://\S+/password/reset/[0-9a-f]+", text).group(0)
    b.driver.get(link)
    b.check_page()
    assert b.h1() == "Choose a new password"
    b.assert_no_serious_axe_violations()
    type_into(b, "input[name=password]", "the brand new password")
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Change password']"))
    assert b.h1() == "Your password has been changed"

    # The new password works; the link does not work twice.
    b.click(b.link("Log in"))
    type_into(b, "input[name=email]", email)
    type_into(b, "input[name=password]", "the brand new password")
    b.click(b.driver.find_element(By.XPATH, "//main//button[normalize-space()='Log in']"))
    assert b.path() != "/login", b.driver.current_url
    b.driver.get(link)
    b.check_page()
    assert b.h1() == "This link no longer works"
