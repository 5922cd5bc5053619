import BookingCore
import Foundation
import HTTPServer
import Store

/// The editable fields of an offer version, as the form shows them (strings, so a refused submit
/// is shown back exactly as typed).
struct VersionForm: Sendable {
    struct ComponentRow: Sendable {
        let index: Int
        let selectors: [Option]
        let tag: String
        let count: String
        let role: String
        let required: Bool
    }

    /// One weekday of the offer's own hours (empty: the resources' hours that day, when no day is set).
    struct HourRow: Sendable {
        let key: String
        let label: String
        let opens: String
        let closes: String
    }

    struct TierRow: Sendable {
        let index: Int
        let hours: String
        let percent: String
    }

    var values: [String: String] = [:]
    var priceModels: [Option] = []
    var depositKinds: [Option] = []
    var rescheduleChoices: [Option] = []
    var approvalRequired = false
    var components: [ComponentRow] = []
    var tiers: [TierRow] = []
    var hours: [HourRow] = []
    var rules: [PricingRuleRow] = []

    /// The longest duration a version may have: a year (multi-day rentals are bounded by the offer's own maximum).
    static let maxDurationMinutes = 525_600
    static let componentRows = 3
    static let tierRows = 3
    static let models = [("fixed", "Fixed price per booking"), ("per_person", "Per person"), ("hourly", "Per hour")]
    static let deposits = [("none", "No deposit"), ("percent", "Percent of the price"), ("fixed", "Fixed amount")]
    static let reschedules = [("allowed", "Customers may move their booking online"), ("not_allowed", "Customers may not move their booking online")]

    static func selectorChoices(_ resources: [ResourceInfo]) -> [(String, String)] {
        [("", "—"), ("kind:host", "Any host"), ("kind:venue", "Any venue"), ("kind:asset", "Any asset"),
         ("kind:virtual", "Any virtual resource"), ("kind:company", "Any company")] + resources.map { ("resource:\($0.slug)", "Only \($0.name)") }
    }

    /// Prefilled from a spec.
    init(spec: OfferVersionSpec, resources: [ResourceInfo]) {
        let (model, amount, increment, minimum): (String, Int64, Int, Int) = switch spec.price {
        case .fixed(let m): ("fixed", m.minorUnits, 60, 0)
        case .perPerson(let m): ("per_person", m.minorUnits, 60, 0)
        case .hourly(let m, let inc, let min): ("hourly", m.minorUnits, inc, min)
        }
        let (depositKind, depositValue): (String, String) = switch spec.deposit {
        case nil: ("none", "")
        case .percent(let p)?: ("percent", String(p))
        case .fixed(let v)?: ("fixed", ManageInput.amount(v, spec.price.currency))
        }
        values = [
            "duration_min": String(spec.duration.minMinutes), "duration_max": String(spec.duration.maxMinutes),
            "duration_step": String(spec.duration.stepMinutes), "buffer_before": String(spec.bufferBeforeMinutes),
            "buffer_after": String(spec.bufferAfterMinutes), "slot_interval": String(spec.slotIntervalMinutes),
            "min_notice": String(spec.minimumNoticeMinutes), "max_advance": String(spec.maximumAdvanceDays),
            "seats": String(spec.seats), "hold_minutes": String(spec.holdMinutes), "price_amount": ManageInput.amount(amount, spec.price.currency),
            "hourly_increment": String(increment), "hourly_minimum": String(minimum), "deposit_value": depositValue,
            "no_show_fee": String(spec.noShowFeePercent), "reschedule_cutoff": String(spec.rescheduleCutoffHours),
            "min_participants": String(spec.minimumParticipants), "decide_hours_before": String(spec.decideHoursBefore),
        ]
        rescheduleChoices = Option.list(Self.reschedules, selected: spec.rescheduleAllowed ? "allowed" : "not_allowed")
        hours = zip(ManageInput.dayKeys, ManageInput.dayNames).enumerated().map { index, day in
            let rule = spec.hours.first { $0.weekday.rawValue == index + 1 }
            return HourRow(key: day.0, label: day.1, opens: rule.map { "\($0.opens)" } ?? "", closes: rule.map { "\($0.closes)" } ?? "")
        }
        priceModels = Option.list(Self.models, selected: model)
        depositKinds = Option.list(Self.deposits, selected: depositKind)
        approvalRequired = spec.approvalRequired
        let slugs = Dictionary(uniqueKeysWithValues: resources.map { ($0.id, $0.slug) })
        let choices = Self.selectorChoices(resources)
        components = (0..<Self.componentRows).map { i in
            guard i < spec.components.count else {
                return ComponentRow(index: i, selectors: Option.list(choices, selected: ""), tag: "", count: "1", role: "", required: true)
            }
            let c = spec.components[i]
            let (selected, tag): (String, String) = switch c.selector {
            case .resource(let id): ("resource:\(slugs[id] ?? "")", "")
            case .anyOf(let kind, let tag): ("kind:\(kind.rawValue)", tag ?? "")
            }
            return ComponentRow(index: i, selectors: Option.list(choices, selected: selected), tag: tag, count: String(c.count),
                                role: c.role, required: c.required)
        }
        rules = PricingRuleRow.rows(spec.pricingRules, currency: spec.price.currency)
        let sorted = spec.cancellationTiers.sorted { $0.minHoursBefore > $1.minHoursBefore }
        tiers = (0..<Self.tierRows).map { i in
            i < sorted.count ? TierRow(index: i, hours: String(sorted[i].minHoursBefore), percent: String(sorted[i].refundPercent))
                : TierRow(index: i, hours: "", percent: "")
        }
    }

    /// Shown back as submitted.
    init(form: FormData, resources: [ResourceInfo]) {
        for (name, value) in form.pairs where name != "_csrf" { values[name] = String(value.prefix(200)) }
        priceModels = Option.list(Self.models, selected: form["price_model"] ?? "")
        depositKinds = Option.list(Self.deposits, selected: form["deposit_kind"] ?? "")
        rescheduleChoices = Option.list(Self.reschedules, selected: form["reschedule"] ?? "allowed")
        hours = zip(ManageInput.dayKeys, ManageInput.dayNames).map { key, label in
            HourRow(key: key, label: label, opens: form["offer_opens_\(key)"] ?? "", closes: form["offer_closes_\(key)"] ?? "")
        }
        approvalRequired = form["approval_required"] != nil
        let choices = Self.selectorChoices(resources)
        components = (0..<Self.componentRows).map { i in
            ComponentRow(index: i, selectors: Option.list(choices, selected: form["component_\(i)"] ?? ""),
                         tag: form["component_\(i)_tag"] ?? "", count: form["component_\(i)_count"] ?? "1",
                         role: form["component_\(i)_role"] ?? "", required: form["component_\(i)_required"] != nil)
        }
        rules = PricingRuleRow.rows(form: form)
        tiers = (0..<Self.tierRows).map { i in
            TierRow(index: i, hours: form["tier_\(i)_hours"] ?? "", percent: form["tier_\(i)_percent"] ?? "")
        }
    }

    /// The spec the form describes, on top of `base` (fields the form does not show are kept), or
    /// the errors of each wrong field.
    static func parse(_ form: FormData, base: OfferVersionSpec, currency: String, resources: [ResourceInfo],
                      errors: inout FormErrors) -> OfferVersionSpec? {
        var spec = base
        let minD = ManageInput.minutes(form["duration_min"], field: "duration_min", in: 1...maxDurationMinutes, &errors)
        let maxD = ManageInput.minutes(form["duration_max"], field: "duration_max", in: 1...maxDurationMinutes, &errors)
        let step = ManageInput.minutes(form["duration_step"], field: "duration_step", in: 1...1440, &errors)
        if let minD, let maxD, maxD < minD { errors.add("duration_max", "Enter a longest duration at least the shortest one.") }
        if let minD, let maxD, let step, maxD > minD, (maxD - minD) % step != 0 {
            errors.add("duration_step", "The step must divide the difference between the shortest and longest duration.")
        }
        let before = ManageInput.minutes(form["buffer_before"], field: "buffer_before", in: 0...1440, &errors)
        let after = ManageInput.minutes(form["buffer_after"], field: "buffer_after", in: 0...1440, &errors)
        let interval = ManageInput.minutes(form["slot_interval"], field: "slot_interval", in: 1...1440, &errors)
        let notice = ManageInput.minutes(form["min_notice"], field: "min_notice", in: 0...525_600, &errors)
        let advance = ManageInput.integer(form["max_advance"], field: "max_advance", in: 1...3650, unit: "days", &errors)
        let seats = ManageInput.integer(form["seats"], field: "seats", in: 1...10000, unit: "seats", &errors)
        let hold = ManageInput.minutes(form["hold_minutes"], field: "hold_minutes", in: 1...1440, &errors)
        let amount = ManageInput.price(form["price_amount"], currency: currency, field: "price_amount", &errors)
        var price: PriceModel?
        switch form["price_model"] ?? "" {
        case "fixed": price = amount.map { .fixed(Money($0, currency)) }
        case "per_person": price = amount.map { .perPerson(Money($0, currency)) }
        case "hourly":
            let inc = ManageInput.minutes(form["hourly_increment"], field: "hourly_increment", in: 1...1440, &errors)
            let min = ManageInput.minutes(form["hourly_minimum"], field: "hourly_minimum", in: 0...10080, &errors)
            if let amount, let inc, let min { price = .hourly(rate: Money(amount, currency), incrementMinutes: inc, minimumMinutes: min) }
        default: errors.add("price_model", "Choose how the price is computed.")
        }
        var deposit: DepositRule??
        switch form["deposit_kind"] ?? "none" {
        case "none": deposit = .some(nil)
        case "percent":
            if let p = ManageInput.integer(form["deposit_value"], field: "deposit_value", in: 1...100, unit: "percent", &errors) {
                deposit = .some(.percent(p))
            }
        case "fixed":
            if let v = ManageInput.price(form["deposit_value"], currency: currency, field: "deposit_value", &errors) { deposit = .some(.fixed(v)) }
        default: errors.add("deposit_kind", "Choose a deposit.")
        }
        let pricingRules = PricingRuleRow.parse(form, currency: currency, errors: &errors)
        // Fields a form may leave out keep the base version's value.
        let noShowFee = form["no_show_fee"].map { ManageInput.integer($0, field: "no_show_fee", in: 0...100, unit: "percent", &errors) }
            ?? base.noShowFeePercent
        let cutoff = form["reschedule_cutoff"].map {
            ManageInput.integer($0, field: "reschedule_cutoff", in: 0...8760, unit: "hours", &errors)
        } ?? base.rescheduleCutoffHours
        // A class's minimum to run and when it is decided (issue 17), kept when the form leaves them out.
        let minimum = form["min_participants"].map {
            ManageInput.integer($0, field: "min_participants", in: 0...10000, unit: "people", &errors)
        } ?? base.minimumParticipants
        let decide = form["decide_hours_before"].map {
            ManageInput.integer($0, field: "decide_hours_before", in: 0...720, unit: "hours", &errors)
        } ?? base.decideHoursBefore
        if let minimum, let seats, minimum > seats {
            errors.add("min_participants", "The minimum to run cannot be more than the seats (\(seats)).")
        }
        // The offer's own hours, when the form carries them (one window a day).
        let hasHours = ManageInput.dayKeys.contains { form["offer_opens_\($0)"] != nil }
        let hours = hasHours ? ManageInput.weeklyRules(form, prefix: "offer_", &errors) : base.hours
        var rescheduleAllowed = base.rescheduleAllowed
        switch form["reschedule"] {
        case nil: break
        case "allowed": rescheduleAllowed = true
        case "not_allowed": rescheduleAllowed = false
        default: errors.add("reschedule", "Choose whether customers may move their booking.")
        }
        var tiers: [CancellationTier] = []
        for i in 0..<tierRows {
            let h = ManageInput.trimmed(form["tier_\(i)_hours"]), p = ManageInput.trimmed(form["tier_\(i)_percent"])
            if h.isEmpty && p.isEmpty { continue }
            let hours = ManageInput.integer(h, field: "tier_\(i)_hours", in: 0...8760, unit: "hours", &errors)
            let percent = ManageInput.integer(p, field: "tier_\(i)_percent", in: 0...100, unit: "percent", &errors)
            if let hours, let percent { tiers.append(CancellationTier(minHoursBefore: hours, refundPercent: percent)) }
        }
        if Set(tiers.map(\.minHoursBefore)).count != tiers.count {
            errors.add("tier_0_hours", "Give each cancellation tier a different number of hours.")
        }
        var components: [OfferComponent] = []
        for i in 0..<componentRows {
            let choice = ManageInput.trimmed(form["component_\(i)"])
            if choice.isEmpty { continue }
            let field = "component_\(i)"
            let count = ManageInput.integer(form["component_\(i)_count"] ?? "1", field: "\(field)_count", in: 1...100,
                                            unit: "resources", &errors)
            var role = ManageInput.trimmed(form["component_\(i)_role"])
            let tagText = Validation.slug(ManageInput.trimmed(form["component_\(i)_tag"]))
            var selector: ResourceSelector?
            if choice.hasPrefix("kind:"), let kind = ResourceKind(rawValue: String(choice.dropFirst(5))) {
                selector = .anyOf(kind: kind, tag: tagText.isEmpty ? nil : tagText)
                if role.isEmpty { role = kind.rawValue }
            } else if choice.hasPrefix("resource:"), let r = resources.first(where: { "resource:\($0.slug)" == choice }) {
                selector = .resource(r.id)
                if role.isEmpty { role = r.kind.rawValue }
            } else {
                errors.add(field, "Choose which resources this part needs.")
            }
            if role.count > 40 { errors.add("\(field)_role", "Use at most 40 characters for the role.") }
            if let selector, let count {
                components.append(OfferComponent(selector: selector, count: count, role: role,
                                                 required: form["component_\(i)_required"] != nil))
            }
        }
        if components.filter(\.required).isEmpty && errors["component_0"] == nil {
            errors.add("component_0", "Choose at least one required resource (for example any host).")
        }
        guard errors.isEmpty, let minD, let maxD, let step, let before, let after, let interval, let notice, let advance,
              let seats, let hold, let price, let deposit, let noShowFee, let cutoff, let minimum, let decide else { return nil }
        spec.duration = DurationSpec(minMinutes: minD, maxMinutes: maxD, stepMinutes: maxD == minD ? minD : step)
        spec.bufferBeforeMinutes = before
        spec.bufferAfterMinutes = after
        spec.slotIntervalMinutes = interval
        spec.minimumNoticeMinutes = notice
        spec.maximumAdvanceDays = advance
        spec.seats = seats
        spec.minimumParticipants = minimum
        spec.decideHoursBefore = decide
        spec.holdMinutes = hold
        spec.approvalRequired = form["approval_required"] != nil
        spec.price = price
        spec.deposit = deposit
        spec.pricingRules = pricingRules
        spec.cancellationTiers = tiers
        spec.hours = hours
        spec.noShowFeePercent = noShowFee
        spec.rescheduleAllowed = rescheduleAllowed
        spec.rescheduleCutoffHours = cutoff
        spec.components = components
        return spec
    }
}
