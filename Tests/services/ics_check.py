"""Checks an iCalendar file strictly (used by the calendar feed tests): prints one JSON object.

Raw checks first (RFC 5545 §3.1): every line ends in CRLF, no line is longer than 75 octets, no
control characters but HTAB. Then the icalendar package parses it and every component must have
parsed without errors; each VEVENT must have UID, DTSTAMP, DTSTART and DTEND in UTC.
Output: {"problems": [...], "events": [{"uid", "summary", "description", "location", "status",
"start", "end"}]} with times as UNIX seconds.
"""
import json, sys
from datetime import timezone

import icalendar


def main():
    data = open(sys.argv[1], "rb").read()
    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1], 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number} has a bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {number} is {len(line)} octets long")
        if any(byte < 0x20 and byte != 0x09 for byte in line) or b"\x7f" in line:
            problems.append(f"line {number} has a control character")
    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        for error in getattr(component, "errors", []):
            problems.append(f"{component.name}: {error}")
    for name in ("VERSION", "PRODID"):
        if name not in calendar:
            problems.append(f"VCALENDAR has no {name}")
    events = []
    for event in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            if name not in event:
                problems.append(f"a VEVENT has no {name}")
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        for value in (start, end):
            if value.tzinfo is None or value.utcoffset().total_seconds() != 0:
                problems.append(f"{value} is not in UTC")
        events.append({
            "uid": str(event.get("UID")),
            "summary": str(event.get("SUMMARY", "")),
            "description": str(event.get("DESCRIPTION", "")),
            "location": str(event.get("LOCATION", "")),
            "status": str(event.get("STATUS", "")),
            "start": int(start.astimezone(timezone.utc).timestamp()),
            "end": int(end.astimezone(timezone.utc).timestamp()),
        })
    print(json.dumps({"problems": problems, "events": events}))


if __name__ == "__main__":
    main()
