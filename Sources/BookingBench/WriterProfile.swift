import BookingCore
import Foundation
import Store

/// `BookingBench writer-profile N [THREADS]`: N bookings of business "bench" (as `seed` makes it, 4
/// hosts, an API key) on distinct half-hour slots, through `AppDatabase.book` — the Store method the
/// API's POST /api/v1/bookings calls — acting as the API key, THREADS callers at a time (default 1,
/// so every booking is its own group-commit batch). Prints bookings/s and this process's CPU per
/// booking. Made for `valgrind --tool=callgrind --separate-threads=yes`: the `bizing-writer`
/// thread's instructions are the serial section, the callers' are the rest; two runs with different
/// N, subtracted, take the seeding and warm-up out.
func writerProfile(bookings: Int, threads: Int) throws {
    let root = FileManager.default.currentDirectoryPath
    let directory = NSTemporaryDirectory() + "bizing-writer-profile-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: root + "/migrations")
    let now = Int64(Date().timeIntervalSince1970)
    let key = try database.seedBench(hosts: 4, now: now).split(separator: "\n").last.map(String.init) ?? ""
    guard let principal = try database.authenticateAPIKey(key)?.principal else {
        FileHandle.standardError.write(Data("writer-profile: the bench key does not authenticate\n".utf8))
        exit(1)
    }
    // A warm-up booking: the writer thread's first commit compiles its statements and caches.
    _ = try? database.book(business: principal.business, request: BookingRequest(
        offerSlug: "slot", start: (now / 1800 + 47) * 1800, customer: CustomerDetails(name: "Bench", email: "bench@example.com"), source: "api"),
        now: now, actor: .apiKey(principal.keyID))
    let base = (now / 1800 + 48) * 1800
    let writerBefore = threadCPUSeconds(named: "bizing-writer")
    // Every booking its own start, as the HTTP benchmark books (scripts/bench.lua).
    let run = bookingThroughput(database, business: principal.business, start: base, bookings: bookings, threads: threads,
                                actor: .apiKey(principal.keyID), now: now) { i in
        BookingRequest(offerSlug: "slot", start: base + Int64(i) * 1800,
                       customer: CustomerDetails(name: "Bench", email: "bench@example.com"), source: "api")
    }
    let writer = (threadCPUSeconds(named: "bizing-writer") - writerBefore) / Double(max(1, bookings)) * 1e3
    say("writer-profile: \(bookings) bookings, \(threads) thread(s), "
        + String(format: "%.0f bookings/s, CPU per booking %.3f ms whole process, %.3f ms the writer thread",
                 run.perSecond, run.cpuMicros / 1000, writer))
}

/// User + system CPU seconds of this process's threads called `name` (from /proc/self/task/*/stat).
func threadCPUSeconds(named name: String) -> Double {
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    var total = 0.0
    for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
        guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
              comm.trimmingCharacters(in: .whitespacesAndNewlines) == name,
              let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        // Fields after the name: state is 3rd overall, utime the 14th and stime the 15th.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        total += ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks
    }
    return total
}
