import BookingCore
import Foundation
import Store

// `BookingBench scale DATA_DIR` (issue 23, "cost grows with the answer, not the data"): on a copy of
// a database seeded by `seed-large`, the CPU time of each page's reads — the offer page's day
// (`offerDay`), the staff day view's default page (`staffCalendar`, 25 resources) and a month of
// availability — with the answer cache off, so every call computes. Then bookings are doubled
// outside the measured range and 250 resources no offer uses are added (`growLarge`), and the same
// calls are measured again. Thread CPU time, median of `runs` calls after a warm-up; prints one row
// per page with both figures and their ratio. On this shared VM CPU times follow the machine's
// speed (docs/benchmarks.md, 2026-12-03 15:30Z): `make bench` judges the target by instructions,
// each side in a fresh process (`scale-count` under callgrind, before and after `grow`).

/// CPU time of the calling thread, in microseconds (`CLOCK_THREAD_CPUTIME_ID`).
func threadMicroseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e6 + Double(spec.tv_nsec) / 1e3
}

/// The median thread CPU time of `body`, in microseconds, over `runs` calls after 5 unmeasured ones.
func medianCPU(_ runs: Int, _ body: (Int) throws -> Void) rethrows -> Double {
    for i in 0..<5 { try body(i) }
    var times: [Double] = []
    for i in 0..<runs {
        let start = threadMicroseconds()
        try body(i)
        times.append(threadMicroseconds() - start)
    }
    return times.sorted()[runs / 2]
}

struct ScalePages {
    let database: AppDatabase
    let business: Business
    let now: Instant
    let day: LocalDate

    /// The offer page's reads (service-1, one day).
    func offerReads() throws {
        _ = try database.offerDay(businessSlug: "large", offerSlug: "service-1", day: .date(day), hostSlug: nil, now: now, lookAheadDays: 60)
    }

    /// The staff day view's reads, default page of 25.
    func staffReads() throws {
        _ = try database.staffCalendar(businessID: business.id, date: day, week: false, now: now,
                                       selection: StaffCalendarSelection(pageSize: StaffCalendarSelection.defaultPageSize))
    }

    /// A month of availability; call `i` starts `i % 60` days after `day` (another month each call).
    func monthReads(_ i: Int) throws {
        let from = day.adding(days: i % 60)
        _ = try database.availability(business: business, offerSlug: "service-1", from: from, to: from.adding(days: 30), now: now,
                                      partySize: 1, resourceSlug: nil)
    }

    /// The three pages' reads, in µs of CPU each: offer page, staff day view, a month of availability
    /// (each call another month, as the bench's "another month every request" run).
    func measure(runs: Int) throws -> [(String, Double)] {
        let offer = try medianCPU(runs) { _ in try offerReads() }
        let staff = try medianCPU(runs) { _ in try staffReads() }
        let month = try measureMonths(runs: runs)
        return [("offer page's reads (service-1, one day)", offer), ("staff day view, default page of 25", staff),
                ("a month of availability, another month each call", month)]
    }

    /// Doubles the data away from what is measured (`growLarge`): every booking again two years on
    /// (after everything measured: the months asked end within ~100 days), and 250 resources no
    /// offer uses.
    func grow() throws {
        let grown = try database.growLarge(shiftDays: 730, resources: 250, now: now)
        say("added \(grown.bookings) bookings 730 days later and \(grown.resources) resources no offer uses")
    }

    /// A month of availability, another month each call.
    func measureMonths(runs: Int) throws -> Double {
        try medianCPU(runs) { i in try monthReads(i) }
    }

    /// The seeded "large" business of `dataDirectory`, with the answer cache off, and the next Wednesday.
    static func open(dataDirectory: String) throws -> ScalePages {
        let root = FileManager.default.currentDirectoryPath
        let database = try AppDatabase(dataDirectory: dataDirectory, migrationsDirectory: root + "/migrations",
                                       settings: AppDatabase.Settings(answerCacheSlots: 0))
        guard let business = try database.business(slug: "large") else {
            FileHandle.standardError.write(Data("no business \"large\": run BookingBench seed-large \(dataDirectory) first\n".utf8))
            exit(1)
        }
        let now = Int64(Date().timeIntervalSince1970)
        let clock = ZoneClock(identifier: business.timeZone)!
        var day = clock.local(now).date.adding(days: 1)
        while day.weekday != .wednesday { day = day.adding(days: 1) }
        return ScalePages(database: database, business: business, now: now, day: day)
    }
}

/// `BookingBench scale-month DATA_DIR [RUNS]`: only `scale`'s month, on the database as it is (no
/// doubling): run it under callgrind on a seeded copy and on a copy already doubled by `scale`, with
/// `--toggle-collect` on `AppDatabase.availability`, to count what a month costs against the data.
func scaleMonth(dataDirectory: String, runs: Int) throws {
    let pages = try ScalePages.open(dataDirectory: dataDirectory)
    say(String(format: "a month of availability, another month each call: %.0f µs CPU, median of %d", try pages.measureMonths(runs: runs), runs))
}

/// `BookingBench scale-reads DATA_DIR [RUNS]`: the same calls as `scale`, on the data as it is (not
/// grown): for instruction counts under callgrind (`--toggle-collect` on one page's read) of a seeded
/// database and of one `scale` has grown, since growing under valgrind takes hours.
func scaleReads(dataDirectory: String, runs: Int) throws {
    for (name, micros) in try ScalePages.open(dataDirectory: dataDirectory).measure(runs: runs) {
        say("\(name): " + String(format: "%.0f µs", micros))
    }
}

/// `BookingBench grow DATA_DIR`: `scale`'s doubling step alone (`growLarge`), so that `scale-reads`
/// can measure the grown data in a fresh process, as a server started on it would (scripts/bench.sh).
func grow(dataDirectory: String) throws {
    try ScalePages.open(dataDirectory: dataDirectory).grow()
}

/// `BookingBench scale-count DATA_DIR [RUNS]`: after 5 warm-up calls of each page, `runs` calls each
/// inside `countOfferReads`, `countStaffReads` and `countMonthReads`, for callgrind to count
/// (`--toggle-collect='*countOfferReads*'` …; scripts/bench.sh). Instructions do not move with the
/// machine's speed, which on this shared VM moves CPU times by a third from one minute to the next.
func scaleCount(dataDirectory: String, runs: Int) throws {
    let pages = try ScalePages.open(dataDirectory: dataDirectory)
    for i in 0..<5 { try pages.offerReads(); try pages.staffReads(); try pages.monthReads(i) }
    try countOfferReads(pages, runs: runs)
    try countStaffReads(pages, runs: runs)
    try countMonthReads(pages, runs: runs)
    say("counted \(runs) calls of each page")
}

@inline(never) func countOfferReads(_ pages: ScalePages, runs: Int) throws { for _ in 0..<runs { try pages.offerReads() } }
@inline(never) func countStaffReads(_ pages: ScalePages, runs: Int) throws { for _ in 0..<runs { try pages.staffReads() } }
@inline(never) func countMonthReads(_ pages: ScalePages, runs: Int) throws { for i in 0..<runs { try pages.monthReads(i) } }

func scale(dataDirectory: String, runs: Int) throws {
    let pages = try ScalePages.open(dataDirectory: dataDirectory)
    let before = try pages.measure(runs: runs)
    try pages.grow()
    let after = try pages.measure(runs: runs)
    say("CPU µs per call, median of \(runs)")
    say("| page | before | after doubling | after / before |")
    say("| --- | --- | --- | --- |")
    for ((name, b), (_, a)) in zip(before, after) {
        say("| \(name) | " + String(format: "%.0f µs | %.0f µs | %.2f |", b, a, a / b))
    }
}
