import BookingCore
import HTTPServer
import Store

extension VersionForm {
    /// The editor's fields filled from `spec`, exactly as the page submits them: `parse` of these
    /// fields gives `spec` back. The API writes a draft by changing some of them and parsing the
    /// whole, so a draft written through the API passes the very checks the offer editor makes.
    static func fields(spec: OfferVersionSpec, resources: [ResourceInfo]) -> [String: String] {
        let form = VersionForm(spec: spec, resources: resources)
        let selected = { (options: [Option]) in options.first(where: \.selected)?.value ?? "" }
        var fields = form.values
        fields["price_model"] = selected(form.priceModels)
        fields["deposit_kind"] = selected(form.depositKinds)
        fields["reschedule"] = selected(form.rescheduleChoices)
        if form.approvalRequired { fields["approval_required"] = "on" }
        for hour in form.hours {
            fields["offer_opens_\(hour.key)"] = hour.opens
            fields["offer_closes_\(hour.key)"] = hour.closes
        }
        for row in form.components {
            fields["component_\(row.index)"] = selected(row.selectors)
            fields["component_\(row.index)_tag"] = row.tag
            fields["component_\(row.index)_count"] = row.count
            fields["component_\(row.index)_role"] = row.role
            if row.required && !selected(row.selectors).isEmpty { fields["component_\(row.index)_required"] = "on" }
        }
        for row in form.tiers {
            fields["tier_\(row.index)_hours"] = row.hours
            fields["tier_\(row.index)_percent"] = row.percent
        }
        for row in form.rules {
            let kind = selected(row.kinds)
            guard !kind.isEmpty else { continue }
            for (name, value) in [("kind", kind), ("days", row.days), ("from", row.from), ("to", row.to), ("date", row.date),
                                  ("number", row.number), ("percent", row.percent), ("amount", row.amount)] {
                fields["rule_\(row.index)_\(name)"] = value
            }
        }
        return fields
    }

    /// `fields` as the form data `parse` reads.
    static func formData(_ fields: [String: String]) -> FormData {
        FormData(pairs: fields.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) })
    }
}
