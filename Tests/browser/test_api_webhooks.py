"""Issue 15, "done when", in a real browser: an owner makes an API key on its page; an integrator with
only that key sets up a resource, an offer (draft, then published) and a webhook to a receiver on a
loopback port (run.sh serves with BIZING_WEBHOOKS_ALLOW_PRIVATE=1), books, and receives a signed
`booking.created`; the owner finds that delivery on the webhooks page and redelivers it, and the
receiver gets it again with the same Bizing-Delivery."""
import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.error
import urllib.request
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import business_weekday
from test_password_reset import type_into
from test_staff import log_in


class Receiver:
    """An HTTP server in a thread that answers 204 and keeps every request (headers and raw body)."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/bizing"

    def wait_for(self, count, timeout=20):
        deadline = time.time() + timeout
        while len(self.received) < count and time.time() < deadline:
            time.sleep(0.1)
        assert len(self.received) >= count, f"expected {count} deliveries, got {len(self.received)}"
        return self.received

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def api(b, key, method, path, body=None):
    """Calls the API as an integrator would; returns (status, JSON)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(b.url(path.lstrip("/")), data=data, method=method, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def verifies(headers, body, secret):
    parts = dict(p.split("=", 1) for p in headers.get("Bizing-Signature", "").split(",") if "=" in p)
    expected = hmac.new(secret.encode(), parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def test_an_integrator_sets_up_and_books_and_the_owner_redelivers_the_event(browser):
    b = browser
    log_in(b, "owner@demo.test")
    b.get("/manage/demo/api-keys")
    type_into(b, "input#name", "Integrator " + uuid.uuid4().hex[:6])
    Select(b.find("select#role")).select_by_value("manager")   # builds the catalog, books, subscribes
    b.click(b.driver.find_element(By.XPATH, "//button[normalize-space()='Create key']"))
    key = b.find("code#new-key").text.strip()
    assert key.startswith("bz_"), key

    receiver = Receiver()
    try:
        suffix = uuid.uuid4().hex[:6]
        hours = {day: {"opens": "09:00", "closes": "17:00"} for day in ("mon", "tue", "wed", "thu", "fri")}
        status, resource = api(b, key, "POST", "/api/v1/resources",
                               {"name": f"Browser Coach {suffix}", "kind": "host", "hours": hours})
        assert status == 201, resource
        status, offer = api(b, key, "POST", "/api/v1/offers", {
            "name": f"Browser coaching {suffix}", "duration_minutes": 30, "price": {"amount": 2500},
            "resources": [{"resource": resource["slug"]}]})
        assert status == 201, offer
        assert offer["published"] is None
        status, published = api(b, key, "POST", f"/api/v1/offers/{offer['slug']}/publish")
        assert status == 200 and published["published_version"] == 1, published
        status, hook = api(b, key, "POST", "/api/v1/webhooks", {"url": receiver.url, "events": ["booking.created"]})
        assert status == 201, hook

        day = business_weekday(days_ahead_at_least=2)
        status, slots = api(b, key, "GET", f"/api/v1/offers/{offer['slug']}/availability?from={day}&to={day}")
        assert status == 200 and slots["slots"], slots
        status, booking = api(b, key, "POST", "/api/v1/bookings", {
            "offer": offer["slug"], "start": slots["slots"][0]["start"],
            "customer": {"name": "Ivy Integrator", "email": "ivy.integrator@example.com"}})
        assert status == 201, booking
        assert booking["resources"] == [resource["slug"]]

        headers, body = receiver.wait_for(1)[0]
        assert headers["Bizing-Event"] == "booking.created"
        assert verifies(headers, body, hook["secret"])
        assert json.loads(body)["data"]["booking"]["id"] == booking["id"]
        delivery = headers["Bizing-Delivery"]

        # The owner sees the delivery in the log and delivers it again.
        b.get("/manage/demo/webhooks")
        entry = b.driver.find_element(By.XPATH, f"//details[contains(@class, 'delivery')][contains(., '{delivery}')]")
        assert booking["id"] in entry.get_attribute("textContent")
        entry.find_element(By.TAG_NAME, "summary").click()
        b.click(entry.find_element(By.XPATH, ".//button[starts-with(normalize-space(), 'Redeliver')]"))
        headers_again, body_again = receiver.wait_for(2)[1]
        assert headers_again["Bizing-Delivery"] == delivery
        assert body_again == body
        assert verifies(headers_again, body_again, hook["secret"])
    finally:
        receiver.stop()
