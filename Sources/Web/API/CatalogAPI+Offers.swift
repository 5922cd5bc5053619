import BookingCore
import Foundation
import HTTPServer
import Store

/// An offer's settings in the API's names, applied to the offer editor's fields: the JSON changes
/// the fields it names, and `VersionForm.parse` checks the whole version as the editor does.
enum OfferSettingsInput {
    static let fields: Set<String> = [
        "duration_minutes", "duration_max_minutes", "duration_step_minutes", "buffer_before_minutes", "buffer_after_minutes",
        "slot_interval_minutes", "minimum_notice_minutes", "maximum_advance_days", "seats", "hold_minutes", "approval_required",
        "price", "deposit", "no_show_fee_percent", "reschedule_allowed", "reschedule_cutoff_hours", "min_participants",
        "decide_hours_before", "cancellation_tiers", "resources", "hours",
    ]

    /// The largest amount in minor units the API takes (any currency's form field holds it).
    static let maxAmount: Int64 = 999_999_999_999

    /// Plain integers: API name, editor field, range (the editor's).
    static let integers: [(String, String, ClosedRange<Int>)] = [
        ("duration_minutes", "duration_min", 1...VersionForm.maxDurationMinutes),
        ("duration_max_minutes", "duration_max", 1...VersionForm.maxDurationMinutes),
        ("duration_step_minutes", "duration_step", 1...1440),
        ("buffer_before_minutes", "buffer_before", 0...1440), ("buffer_after_minutes", "buffer_after", 0...1440),
        ("slot_interval_minutes", "slot_interval", 1...1440), ("minimum_notice_minutes", "min_notice", 0...525_600),
        ("maximum_advance_days", "max_advance", 1...3650), ("seats", "seats", 1...10000), ("hold_minutes", "hold_minutes", 1...1440),
        ("no_show_fee_percent", "no_show_fee", 0...100), ("reschedule_cutoff_hours", "reschedule_cutoff", 0...8760),
        ("min_participants", "min_participants", 0...10000), ("decide_hours_before", "decide_hours_before", 0...720),
    ]
    static let priceModels = VersionForm.models.map(\.0)
    static let depositKinds = VersionForm.deposits.map(\.0)
    static let resourceKinds = ResourceHandlers.kinds.map(\.0)

    /// The editor field → the API field, for errors.
    static func apiField(_ field: String) -> String {
        if let plain = integers.first(where: { $0.1 == field }) { return plain.0 }
        if let hours = CatalogInput.hoursField(field, prefix: "offer_") { return hours }
        if field.hasPrefix("component_") { return "resources" }
        if field.hasPrefix("tier_") { return "cancellation_tiers" }
        if field.hasPrefix("rule_") { return "pricing_rules" }
        return ["price_amount": "price.amount", "price_model": "price.model", "hourly_increment": "price.increment_minutes",
                "hourly_minimum": "price.minimum_minutes", "deposit_kind": "deposit.kind", "deposit_value": "deposit",
                "reschedule": "reschedule_allowed"][field] ?? field
    }

    /// Sets the editor's `fields` from the JSON's settings.
    static func apply(_ json: StrictJSON, to fields: inout [String: String], currency: String) throws {
        for (name, field, range) in integers {
            if let value = try json.int(name, in: range) { fields[field] = String(value) }
        }
        // One length: the longest follows the shortest unless it is given too.
        if let shortest = try json.int("duration_minutes", in: 1...VersionForm.maxDurationMinutes),
           try json.int("duration_max_minutes", in: 1...VersionForm.maxDurationMinutes) == nil {
            fields["duration_max"] = String(shortest)
        }
        if let flag = try json.bool("approval_required") { fields["approval_required"] = flag ? "on" : nil }
        if let flag = try json.bool("reschedule_allowed") { fields["reschedule"] = flag ? "allowed" : "not_allowed" }
        if let price = try json.object("price", allowed: ["amount", "model", "increment_minutes", "minimum_minutes"]) {
            if let amount = try price.int64("amount", in: 0...maxAmount) { fields["price_amount"] = ManageInput.amount(amount, currency) }
            if let model = try price.string("model", maxLength: 20) {
                guard priceModels.contains(model) else {
                    throw WebError.unprocessable("validation_failed", "price.model must be one of \(priceModels.joined(separator: ", ")).", field: "price.model")
                }
                fields["price_model"] = model
            }
            if let increment = try price.int("increment_minutes", in: 1...1440) { fields["hourly_increment"] = String(increment) }
            if let minimum = try price.int("minimum_minutes", in: 0...10080) { fields["hourly_minimum"] = String(minimum) }
        }
        if let deposit = try json.object("deposit", allowed: ["kind", "percent", "amount"]) {
            let kind = try deposit.requiredString("kind", maxLength: 20)
            guard depositKinds.contains(kind) else {
                throw WebError.unprocessable("validation_failed", "deposit.kind must be one of \(depositKinds.joined(separator: ", ")).", field: "deposit.kind")
            }
            fields["deposit_kind"] = kind
            fields["deposit_value"] = ""
            if kind == "percent" {
                guard let percent = try deposit.int("percent", in: 1...100) else {
                    throw WebError.unprocessable("validation_failed", "deposit.percent is required for a percent deposit.", field: "deposit.percent")
                }
                fields["deposit_value"] = String(percent)
            } else if kind == "fixed" {
                guard let amount = try deposit.int64("amount", in: 0...maxAmount) else {
                    throw WebError.unprocessable("validation_failed", "deposit.amount is required for a fixed deposit.", field: "deposit.amount")
                }
                fields["deposit_value"] = ManageInput.amount(amount, currency)
            }
        }
        if let tiers = try json.objectArray("cancellation_tiers", maxCount: VersionForm.tierRows, allowed: ["hours_before", "refund_percent"]) {
            for i in 0..<VersionForm.tierRows {
                let tier = i < tiers.count ? tiers[i] : nil
                fields["tier_\(i)_hours"] = try tier.map { String(try $0.requiredInt("hours_before", in: 0...8760)) } ?? ""
                fields["tier_\(i)_percent"] = try tier.map { String(try $0.requiredInt("refund_percent", in: 0...100)) } ?? ""
            }
        }
        if let parts = try json.objectArray("resources", maxCount: VersionForm.componentRows,
                                            allowed: ["resource", "kind", "tag", "count", "role", "required"]) {
            for i in 0..<VersionForm.componentRows {
                for suffix in ["", "_tag", "_count", "_role", "_required"] { fields["component_\(i)\(suffix)"] = nil }
                guard i < parts.count else { continue }
                let part = parts[i]
                let resource = try part.string("resource", maxLength: 60), kind = try part.string("kind", maxLength: 20)
                switch (resource, kind) {
                case (let slug?, nil): fields["component_\(i)"] = "resource:\(slug)"
                case (nil, let kind?) where resourceKinds.contains(kind): fields["component_\(i)"] = "kind:\(kind)"
                default:
                    throw WebError.unprocessable("validation_failed",
                                                 "Each of resources names either a resource (its slug) or a kind (\(resourceKinds.joined(separator: ", "))).",
                                                 field: "resources")
                }
                fields["component_\(i)_tag"] = try part.string("tag", maxLength: 60) ?? ""
                fields["component_\(i)_count"] = String(try part.int("count", in: 1...100) ?? 1)
                let role = try part.string("role", maxLength: 40) ?? ""
                try CatalogInput.printable(role, field: "resources.\(i).role")
                fields["component_\(i)_role"] = role
                if try part.bool("required") ?? true { fields["component_\(i)_required"] = "on" }
            }
        }
        if let hours = try CatalogInput.hoursFields(json, name: "hours", prefix: "offer_") {
            fields.merge(hours) { _, new in new }
        }
    }

    /// The version the fields describe, checked as the offer editor checks it; 422 naming the first field at fault.
    static func spec(_ fields: [String: String], base: OfferVersionSpec, currency: String, resources: [ResourceInfo]) throws -> OfferVersionSpec {
        var errors = FormErrors()
        guard let spec = VersionForm.parse(VersionForm.formData(fields), base: base, currency: currency, resources: resources,
                                           errors: &errors) else {
            throw CatalogInput.refuse(errors, fieldNames: apiField)
        }
        return spec
    }
}

/// `/api/v1/offers…` writes: an offer is created with a draft, drafts are edited and published.
struct OfferAPI: Sendable {
    static let modes = OfferHandlers.modes.map(\.0)

    func load(_ context: RequestContext) throws -> (APIKeys.Principal, AppDatabase.OfferEditor) {
        let principal = try context.apiPrincipal()
        guard let editor = try context.app.database.offerEditor(business: principal.business, slug: try context.parameter("offer"),
                                                                now: context.instant) else {
            throw BookingFailure.offerNotFound
        }
        return (principal, editor)
    }

    func answer(_ context: RequestContext, _ principal: APIKeys.Principal, slug: String, status: HTTPStatus = .ok) throws -> Response {
        guard let editor = try context.app.database.offerEditor(business: principal.business, slug: slug, now: context.instant) else {
            throw BookingFailure.offerNotFound
        }
        return .json(CatalogJSON.offerBody(editor), status: status)
    }

    /// A new offer with its first draft: the builder's new offer (`OfferHandlers.newSpec`) with the settings given.
    func create(_ context: RequestContext) throws -> Response {
        let principal = try context.apiPrincipal()
        let business = principal.business
        let json = try StrictJSON(body: context.request.body, allowed: OfferSettingsInput.fields.union(["name", "mode"]))
        let name = try CatalogInput.name(json, required: true)!
        let modeText = try json.string("mode", maxLength: 20) ?? "slot"
        guard let mode = OfferMode(rawValue: modeText), Self.modes.contains(modeText) else {
            throw WebError.unprocessable("validation_failed", "mode must be one of \(Self.modes.joined(separator: ", ")).", field: "mode")
        }
        guard let duration = try json.int("duration_minutes", in: 1...VersionForm.maxDurationMinutes) else {
            throw WebError.unprocessable("validation_failed", "duration_minutes is required.", field: "duration_minutes")
        }
        guard try json.object("price", allowed: ["amount", "model", "increment_minutes", "minimum_minutes"])?
            .int64("amount", in: 0...OfferSettingsInput.maxAmount) != nil else {
            throw WebError.unprocessable("validation_failed", "price.amount is required (minor units, like 4000 for 40.00).", field: "price.amount")
        }
        let resources = try context.app.database.resourceList(businessID: business.id)
        let base = OfferHandlers.newSpec(mode: mode, durationMinutes: duration, price: Money(0, business.currency))
        var fields = VersionForm.fields(spec: base, resources: resources)
        try OfferSettingsInput.apply(json, to: &fields, currency: business.currency)
        let spec = try OfferSettingsInput.spec(fields, base: base, currency: business.currency, resources: resources)
        let slug = try context.app.database.createOffer(businessID: business.id, name: name, mode: mode, spec: spec,
                                                        actor: .apiKey(principal.keyID), now: context.instant)
        return try answer(context, principal, slug: slug, status: .created)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (_, editor) = try load(context)
        return .json(CatalogJSON.offerBody(editor))
    }

    /// Saves the draft: the settings given, on top of the draft (else the published version).
    func saveDraft(_ context: RequestContext) throws -> Response {
        let (principal, editor) = try load(context)
        let business = principal.business
        let json = try StrictJSON(body: context.request.body, allowed: OfferSettingsInput.fields)
        let base = (editor.draft ?? editor.published)?.spec
            ?? OfferHandlers.newSpec(mode: editor.offer.mode, durationMinutes: 30, price: Money(0, business.currency))
        var fields = VersionForm.fields(spec: base, resources: editor.resources)
        try OfferSettingsInput.apply(json, to: &fields, currency: business.currency)
        let spec = try OfferSettingsInput.spec(fields, base: base, currency: business.currency, resources: editor.resources)
        try context.app.database.saveOfferDraft(businessID: business.id, offerID: editor.offer.id, spec: spec,
                                                actor: .apiKey(principal.keyID), now: context.instant)
        return try answer(context, principal, slug: editor.offer.slug)
    }

    func publish(_ context: RequestContext) throws -> Response {
        let (principal, editor) = try load(context)
        // Whether there is a draft is decided inside the write.
        guard try context.app.database.publishOfferDraft(businessID: principal.business.id, offerID: editor.offer.id,
                                                         actor: Actor.apiKey(principal.keyID).label, now: context.instant) else {
            throw WebError.conflict("no_draft", "The offer has no draft to publish: save one first (POST /api/v1/offers/{offer}/draft).")
        }
        return try answer(context, principal, slug: editor.offer.slug)
    }

    func setStatus(_ context: RequestContext) throws -> Response {
        let (principal, editor) = try load(context)
        let json = try StrictJSON(body: context.request.body, allowed: ["status"])
        let text = try json.requiredString("status", maxLength: 20)
        guard let status = OfferStatus(rawValue: text), CatalogJSON.offerStatuses.contains(text) else {
            throw WebError.unprocessable("validation_failed", "status must be one of \(CatalogJSON.offerStatuses.joined(separator: ", ")).",
                                         field: "status")
        }
        try context.app.database.setOfferStatus(businessID: principal.business.id, offerID: editor.offer.id, status: status,
                                                actor: Actor.apiKey(principal.keyID).label, now: context.instant)
        return try answer(context, principal, slug: editor.offer.slug)
    }
}
