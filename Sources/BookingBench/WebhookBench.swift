import BookingCore
import Foundation
import HTTPServer
import Jobs
import Logging
import Outbound
import Store
import Web

/// `BookingBench webhook-booking`: booking throughput when the business has an active webhook
/// subscription (every booking writes a delivery row in its transaction) and when it has none
/// (DomainEvents.emit finds nothing). Target: at most 5 % apart.
///
/// Rounds are pairs, and the variant that runs first alternates (with/without, then without/with):
/// the first run of a pair was measured slower on this VM whichever it was, so a fixed order
/// charges that to one side. Printed: best of each side, and the median of the paired differences
/// in throughput and in CPU per booking (the figure the machine's other work disturbs least).
func webhookBooking(bookings: Int = 2000, threads: Int = 8, rounds: Int = 8) throws {
    var best: [Bool: Double] = [true: 0, false: 0]
    var throughputCost: [Double] = [], cpuCost: [Double] = []
    for round in 0..<rounds {
        var run: [Bool: (perSecond: Double, cpuMicros: Double)] = [:]
        for subscribed in round % 2 == 0 ? [true, false] : [false, true] {
            let (database, business, start) = try benchBusiness(hosts: 50, providers: true)
            if subscribed {
                _ = try database.createWebhook(businessID: business.id, url: "http://127.0.0.1:9/hooks", events: DomainEventType.allCases,
                                               role: .owner, apiKeyID: nil, actor: .system, now: start - 86_400) { _, _ in [] }
            }
            let result = bookingThroughput(database, business: business, start: start, bookings: bookings, threads: threads)
            say("  \(subscribed ? "with   " : "without") a subscription: \(Int(result.perSecond)) bookings/s, \(Int(result.cpuMicros)) µs CPU per booking")
            best[subscribed] = max(best[subscribed]!, result.perSecond)
            run[subscribed] = result
        }
        throughputCost.append(1 - run[true]!.perSecond / run[false]!.perSecond)
        cpuCost.append(run[true]!.cpuMicros / run[false]!.cpuMicros - 1)
    }
    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    let with = best[true]!, without = best[false]!
    say("| booking, \(threads) threads, business with a webhook subscription (best of \(rounds)) | \(Int(with)) bookings/s |")
    say("| booking, \(threads) threads, business without one | \(Int(without)) bookings/s |")
    say("| cost of the events, throughput (best against best) | \(String(format: "%.1f", (1 - with / without) * 100)) % |")
    say("| cost of the events, throughput (median of \(rounds) pairs) | \(String(format: "%.1f", median(throughputCost) * 100)) % |")
    say("| cost of the events, CPU per booking (median of \(rounds) pairs) | \(String(format: "%.1f", median(cpuCost) * 100)) % |")
}

/// `BookingBench webhook-send [N]`: the worker's webhook deliveries a second (signed, payload written
/// at the first attempt, each attempt logged) to a local libmicrohttpd receiver answering 204, with
/// 1, 2 (the default) and 4 sender threads. Target: at least 300 a second.
func webhookSend(deliveries: Int = 2000) throws {
    var configuration = ServerConfiguration()
    configuration.port = 0
    configuration.threads = 2
    var quiet = Logger(label: "bench-receiver")
    quiet.logLevel = .critical
    let receiver = try Server(configuration: configuration, application: NoContentReceiver(), logger: quiet)
    defer { receiver.stop(grace: .seconds(1)) }
    for senders in [1, 2, 4] {
        let (database, business, start) = try benchBusiness(hosts: 50, providers: false)
        _ = try database.createWebhook(businessID: business.id, url: "http://127.0.0.1:\(receiver.port)/hooks", events: [.bookingCreated],
                                       role: .owner, apiKeyID: nil, actor: .system, now: start - 86_400) { _, _ in [] }
        _ = bookingThroughput(database, business: business, start: start, bookings: deliveries, threads: 8)
        var options = OutboxWorker.Options()
        options.senders = senders
        options.batchSize = 25
        let worker = try OutboxWorker(database: database, transport: nil,
                                      settings: MailSettings(from: MailAddress("bookings@bench.test"), baseURL: "http://bench.test"),
                                      templatesDirectory: FileManager.default.currentDirectoryPath + "/Templates/email",
                                      webhooks: WebhookSender(client: HTTPClient(policy: DestinationPolicy(allowPrivate: true)),
                                                              payload: WebhookPayload.write),
                                      options: options, clock: { start })   // the bookings were made "a day before start"
        let began = ContinuousClock.now
        worker.start()
        while try database.webhookDeliveryCount(status: .delivered) < deliveries {
            usleep(20_000)
        }
        let elapsed = seconds(ContinuousClock.now - began)
        worker.stop()
        say("| worker to a local receiver, \(senders) sender\(senders == 1 ? "" : "s"), \(deliveries) booking.created | \(Int(Double(deliveries) / elapsed)) webhooks/s |")
    }
}

/// Answers every request with 204.
private struct NoContentReceiver: HTTPApplication {
    func respond(to request: Request) -> Response { Response(status: .noContent) }
    func errorResponse(_ status: HTTPStatus, for request: Request) -> Response { Response(status: status) }
}
