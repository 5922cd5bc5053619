#!/usr/bin/env python3
"""Books COUNT distinct half-hour slots of the "bench" business (BookingBench seed) one after another
over one keep-alive connection, as scripts/bench.lua's requests look:
    scripts/book-client.py PORT KEY FIRST COUNT [BASE]
Slot n starts at BASE + n * 1800 (BASE: UNIX seconds, half-hour aligned; default two days ahead).
Every answer must be 201."""
import http.client, json, sys, time

port, key, first, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
base = int(sys.argv[5]) if len(sys.argv) > 5 else (int(time.time()) // 1800 + 96) * 1800
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
for n in range(first, first + count):
    start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + n * 1800))
    body = json.dumps({"offer": "slot", "start": start, "customer": {"name": "Bench", "email": "bench@example.com"}})
    conn.request("POST", "/api/v1/bookings", body, {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    response = conn.getresponse()
    answer = response.read()
    assert response.status == 201, (response.status, answer[:300])
