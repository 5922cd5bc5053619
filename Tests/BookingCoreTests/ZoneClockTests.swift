import BookingCore
import Foundation  // TimeZone only.
import Testing

struct ZoneClockTests {
    let ny = ZoneClock(F.newYork)
    let berlin = ZoneClock(F.berlin)

    @Test func springForwardGapTimesDoNotExist() {
        #expect(ny.instant(F.d("2026-03-08"), F.w("02:00")) == nil)
        #expect(ny.instant(F.d("2026-03-08"), F.w("02:30")) == nil)
        #expect(ny.instant(F.d("2026-03-08"), F.w("01:30")) == F.t("2026-03-08T06:30:00Z"))
        #expect(ny.instant(F.d("2026-03-08"), F.w("03:00")) == F.t("2026-03-08T07:00:00Z"))
        #expect(ny.instant(F.d("2027-03-14"), F.w("02:15")) == nil)
        #expect(berlin.instant(F.d("2026-03-29"), F.w("02:30")) == nil)
        #expect(berlin.instant(F.d("2026-03-29"), F.w("03:00")) == F.t("2026-03-29T01:00:00Z"))
    }

    @Test func fallBackRepeatedTimesTakeTheFirstOccurrence() {
        #expect(ny.instant(F.d("2026-11-01"), F.w("01:30")) == F.t("2026-11-01T05:30:00Z"))
        #expect(ny.instant(F.d("2026-11-01"), F.w("02:00")) == F.t("2026-11-01T07:00:00Z"))
        #expect(berlin.instant(F.d("2026-10-25"), F.w("02:30")) == F.t("2026-10-25T00:30:00Z"))
    }

    @Test func ordinaryDaysUseTheDaysOffset() {
        #expect(ny.instant(F.d("2026-07-01"), F.w("09:00")) == F.t("2026-07-01T13:00:00Z"))
        #expect(ny.instant(F.d("2026-12-01"), F.w("09:00")) == F.t("2026-12-01T14:00:00Z"))
        #expect(!ny.day(F.d("2026-07-01")).hasTransition)
        #expect(ny.day(F.d("2026-03-08")).hasTransition)
    }

    @Test func instantsMapBackToTheirLocalDateAndTime() {
        let l = ny.local(F.t("2026-11-01T06:30:00Z"))  // second 01:30, EST
        #expect(l.date == F.d("2026-11-01") && l.time == F.w("01:30"))
        let tokyo = ZoneClock(F.tokyo).local(F.t("2026-11-30T23:59:59Z"))
        #expect(tokyo.date == F.d("2026-12-01") && tokyo.time == F.w("08:59") && tokyo.second == 59)
    }

    /// Every quarter hour of DST weeks: a returned instant reads back as the same wall time; a nil
    /// one has no instant of the day that reads as that wall time; ambiguous ones give the earliest.
    @Test func conversionAgreesWithAMinuteScan() {
        for (zone, dates) in [(ny, ["2026-03-08", "2026-11-01", "2027-03-14", "2026-06-01"]),
                              (berlin, ["2026-03-29", "2026-10-25"]),
                              (ZoneClock(F.auckland), ["2026-04-05", "2026-09-27"])] {
            for ds in dates {
                let date = F.d(ds)
                var seen: [Int: Instant] = [:]  // wall minute → first instant reading as it
                let from = date.daysSinceEpoch * 86_400 - 15 * 3600
                for t in stride(from: from, to: from + 56 * 3600, by: 60) {
                    let l = zone.local(t)
                    if l.date == date && seen[l.time.minutes] == nil { seen[l.time.minutes] = t }
                }
                for m in stride(from: 0, to: 1440, by: 15) {
                    #expect(zone.instant(date, WallTime(minutes: m)!) == seen[m], "\(ds) \(m)")
                }
            }
        }
    }

    @Test func formatsAndParsesRFC3339() {
        #expect(RFC3339.format(F.t("2026-12-01T14:00:00Z")) == "2026-12-01T14:00:00Z")
        #expect(RFC3339.format(0) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(-1) == "1969-12-31T23:59:59Z")
        #expect(RFC3339.parse("2026-12-01T09:00:00-05:00") == F.t("2026-12-01T14:00:00Z"))
        #expect(RFC3339.parse("2026-12-01T14:00:00.250Z") == F.t("2026-12-01T14:00:00Z"))
        for bad in ["2026-12-01 14:00:00Z", "2026-12-01T14:00:00", "2026-12-01T24:00:00Z", "2026-12-01T14:00Z",
                    "2026-12-01T14:00:00+0500", "2026-02-30T10:00:00Z", "2026-12-01T14:00:00Zjunk"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
        var rng = SplitMix64(seed: 3)
        for _ in 0..<500 {
            let t = Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng)
            #expect(RFC3339.parse(RFC3339.format(t)) == t)
        }
    }
}
