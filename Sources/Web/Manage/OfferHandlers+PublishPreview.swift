import BookingCore
import Foundation
import HTTPServer
import Store

/// "What publishing changes" on the offer page (issue 20): before the owner publishes a new
/// version, the times customers gain and lose in the next 14 days, the price change, and the
/// upcoming bookings that keep the terms they were sold under.
struct PublishChanges: Sendable {
    typealias Day = OfferHandlers.PreviewDay

    struct Kept: Sendable {
        let when: String
        let version: String
        let url: String
    }

    static let days = 14

    let gained: [Day]
    let lost: [Day]
    let hasGained: Bool
    let hasLost: Bool
    let sameTimes: Bool
    let priceBefore: String?
    let priceAfter: String?
    let kept: [Kept]
    let hasKept: Bool
    let keptSentence: String

    init(_ preview: PublishPreview, published: OfferVersionSpec, draft: OfferVersionSpec, business: Business, clock: ZoneClock,
         now: Instant) {
        func days(_ starts: [Instant]) -> [Day] {
            Day.times(starts, clock: clock).sorted { $0.key < $1.key }.map { Day(date: HumanTime.longDate($0.key), times: Day.list($0.value)) }
        }
        gained = days(preview.changes.gained)
        lost = days(preview.changes.lost)
        hasGained = !gained.isEmpty
        hasLost = !lost.isEmpty
        sameTimes = preview.changes.isEmpty
        // The price at the first time the draft offers (else the first the published version offers).
        let sample = preview.changes.gained.first ?? preview.changes.lost.first ?? now
        if let change = VersionChanges.priceChange(published: published, draft: draft, at: sample, now: now, timeZone: clock.timeZone) {
            priceBefore = Currency.format(change.before.total, change.before.currency)
            priceAfter = Currency.format(change.after.total, change.after.currency)
        } else {
            priceBefore = nil
            priceAfter = nil
        }
        let base = "/staff/\(PercentDecoding.encode(business.slug))/bookings/"
        kept = preview.kept.map {
            Kept(when: "\(HumanTime.longDate(clock.local($0.start).date)), \(clock.local($0.start).time)", version: "v\($0.version)",
                 url: base + PercentDecoding.encode($0.publicID))
        }
        hasKept = !kept.isEmpty
        keptSentence = switch preview.keptCount {
        case 0: "No upcoming bookings: nothing is sold under the current terms yet."
        case 1: "1 upcoming booking keeps the price and policy it was sold under:"
        default: "\(preview.keptCount) upcoming bookings keep the price and policy they were sold under"
            + (preview.keptCount > kept.count ? " (the first \(kept.count) below):" : ":")
        }
    }
}

extension OfferHandlers {
    /// The changes publishing the draft would make, when there is both a published version and a draft.
    func publishChanges(_ context: RequestContext, _ loaded: Loaded) throws -> PublishChanges? {
        guard let published = loaded.published, let draft = loaded.draft else { return nil }
        let clock = Self.clock(loaded.business)
        let today = clock.local(context.instant).date
        guard let preview = try context.app.database.publishPreview(business: loaded.business, offerID: loaded.offer.id, from: today,
                                                                    to: today.adding(days: PublishChanges.days - 1), now: context.instant)
        else { return nil }
        return PublishChanges(preview, published: published.spec, draft: draft.spec, business: loaded.business, clock: clock,
                              now: context.instant)
    }
}
