import BookingCore
import Foundation
import GRDB
import Synchronization

/// Maps an `OfferVersionSpec` to an `offer_versions` row with its `offer_components`, and back.
/// Scalars are columns (checked by the schema); rule lists are JSON of BookingCore's Codable types.
enum SpecRow {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A price breakdown as `encoder` writes it (sorted keys), written by hand: every booking stores
    /// one, and JSONEncoder took about 45,000 instructions for it. (Only a "/" differs: JSONEncoder
    /// writes `\/`; both read back alike.)
    static func json(_ price: PriceBreakdown) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 + price.lines.reduce(0) { $0 + $1.label.utf8.count + 32 })
        out.append(contentsOf: #"{"currency":"#.utf8); JSONString.append(price.currency, to: &out)
        out.append(contentsOf: #","deposit":\#(price.deposit),"lines":["#.utf8)
        for (n, line) in price.lines.enumerated() {
            out.append(contentsOf: #"\#(n > 0 ? "," : ""){"amount":\#(line.amount),"label":"#.utf8)
            JSONString.append(line.label, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"model":"#.utf8); JSONString.append(price.model, to: &out)
        out.append(contentsOf: #","total":\#(price.total)}"#.utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// Inserts the version and its components; returns the version's id.
    static func insert(_ db: Database, businessID: BusinessID, offerID: OfferID, version: Int, spec: OfferVersionSpec, now: Int64) throws -> OfferVersionID {
        let (model, amount, currency, increment, minimum): (String, Int64, String, Int, Int) = switch spec.price {
        case .fixed(let money): ("fixed", money.minorUnits, money.currency, 60, 0)
        case .perPerson(let money): ("per_person", money.minorUnits, money.currency, 60, 0)
        case .hourly(let rate, let increment, let minimum): ("hourly", rate.minorUnits, rate.currency, increment, minimum)
        }
        try db.cachedStatement(sql: """
            INSERT INTO offer_versions (business_id, offer_id, version, duration_min_minutes, duration_max_minutes,
              duration_step_minutes, buffer_before_minutes, buffer_after_minutes, slot_interval_minutes, min_notice_minutes,
              max_advance_days, seats, hold_minutes, approval_required, price_model, price_amount, currency,
              hourly_increment_minutes, hourly_minimum_minutes, pricing_rules, deposit, cancellation_tiers,
              no_show_fee_percent, reschedule_allowed, reschedule_cutoff_hours, min_participants, decide_hours_before, offer_hours,
              intake_questions, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                businessID, offerID, version, spec.duration.minMinutes, spec.duration.maxMinutes, spec.duration.stepMinutes,
                spec.bufferBeforeMinutes, spec.bufferAfterMinutes, spec.slotIntervalMinutes, spec.minimumNoticeMinutes,
                spec.maximumAdvanceDays, spec.seats, spec.holdMinutes, spec.approvalRequired, model, amount, currency,
                increment, minimum, try json(spec.pricingRules), try json(spec.deposit), try json(spec.cancellationTiers),
                spec.noShowFeePercent, spec.rescheduleAllowed, spec.rescheduleCutoffHours, spec.minimumParticipants,
                spec.decideHoursBefore, try json(spec.hours), try json(spec.questions), now,
            ])
        let versionID = OfferVersionID(rawValue: db.lastInsertedRowID)
        for component in spec.components {
            let (resourceID, kind, tag): (ResourceID?, String?, String?) = switch component.selector {
            case .resource(let id): (id, nil, nil)
            case .anyOf(let kind, let tag): (nil, kind.rawValue, tag)
            }
            try db.cachedStatement(sql: """
                INSERT INTO offer_components (business_id, version_id, resource_id, kind, tag, count, role, required)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [businessID, versionID, resourceID, kind, tag, component.count, component.role, component.required])
        }
        return versionID
    }

    /// The spec of a version row (which must also carry the offer's `mode`). Published versions and
    /// their components cannot change (triggers in migration 0002), so their decoded specs are kept:
    /// every hold and every availability question reads one.
    static func spec(_ db: Database, row: Row) throws -> OfferVersionSpec {
        guard let scope = CacheScope.current, (row["status"] as String?) == "published" else { return try decode(db, row: row) }
        let key = Caches.SpecKey(versionID: row["id"], mode: row["mode"])
        if let cached = kept(key) { return cached }
        let spec = try decode(db, row: row)
        guard scope.keepsSpecs else { return spec }
        scope.caches.specs.withLock { specs in
            if specs.count >= 4096 { specs.removeAll(keepingCapacity: true) }
            specs[key] = spec
        }
        return spec
    }

    /// The spec of a published version, kept decoded as `spec(db, row:)` keeps it: the version's row
    /// is read only when no decoded spec is kept for it.
    static func publishedSpec(_ db: Database, businessID: BusinessID, versionID: OfferVersionID, mode: String) throws -> OfferVersionSpec {
        if let cached = kept(Caches.SpecKey(versionID: versionID, mode: mode)) { return cached }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT v.*, ? AS mode FROM offer_versions v WHERE v.business_id = ? AND v.id = ?"),
                                         arguments: [mode, businessID, versionID]) else { throw CatalogError.notFound("offer version") }
        return try spec(db, row: row)
    }

    /// The decoded spec kept for `key` in this read's caches, if any.
    private static func kept(_ key: Caches.SpecKey) -> OfferVersionSpec? {
        CacheScope.current?.caches.specs.withLock { $0[key] }
    }

    private static func decode(_ db: Database, row: Row) throws -> OfferVersionSpec {
        let decoder = JSONDecoder()
        let currency: String = row["currency"]
        let amount: Int64 = row["price_amount"]
        let price: PriceModel = switch row["price_model"] as String {
        case "hourly": .hourly(rate: Money(amount, currency), incrementMinutes: row["hourly_increment_minutes"],
                               minimumMinutes: row["hourly_minimum_minutes"])
        case "per_person": .perPerson(Money(amount, currency))
        default: .fixed(Money(amount, currency))
        }
        let components = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT resource_id, kind, tag, count, role, required FROM offer_components
            WHERE business_id = ? AND version_id = ? ORDER BY id
            """), arguments: [row["business_id"] as Int64, row["id"] as Int64]).map { component -> OfferComponent in
            let selector: ResourceSelector = if let id = component["resource_id"] as ResourceID? {
                .resource(id)
            } else {
                .anyOf(kind: ResourceKind(rawValue: component["kind"]) ?? .host, tag: component["tag"])
            }
            return OfferComponent(selector: selector, count: component["count"], role: component["role"], required: component["required"])
        }
        var spec = OfferVersionSpec(
            mode: OfferMode(rawValue: row["mode"]) ?? .slot,
            duration: DurationSpec(minMinutes: row["duration_min_minutes"], maxMinutes: row["duration_max_minutes"],
                                   stepMinutes: row["duration_step_minutes"]),
            bufferBeforeMinutes: row["buffer_before_minutes"], bufferAfterMinutes: row["buffer_after_minutes"],
            slotIntervalMinutes: row["slot_interval_minutes"], minimumNoticeMinutes: row["min_notice_minutes"],
            maximumAdvanceDays: row["max_advance_days"], seats: row["seats"], holdMinutes: row["hold_minutes"],
            approvalRequired: row["approval_required"], price: price,
            pricingRules: try decoder.decode([PricingRule].self, from: Data((row["pricing_rules"] as String).utf8)),
            deposit: try decoder.decode(DepositRule?.self, from: Data((row["deposit"] as String).utf8)),
            cancellationTiers: try decoder.decode([CancellationTier].self, from: Data((row["cancellation_tiers"] as String).utf8)),
            noShowFeePercent: row["no_show_fee_percent"], rescheduleAllowed: row["reschedule_allowed"],
            rescheduleCutoffHours: row["reschedule_cutoff_hours"], components: components)
        spec.minimumParticipants = row["min_participants"]
        spec.decideHoursBefore = row["decide_hours_before"]
        spec.hours = try decoder.decode([WeeklyRule].self, from: Data((row["offer_hours"] as String).utf8))
        let questions: String = row["intake_questions"]
        spec.questions = questions == "[]" ? [] : try decoder.decode([IntakeQuestion].self, from: Data(questions.utf8))
        return spec
    }
}
