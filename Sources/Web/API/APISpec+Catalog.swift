import BookingCore
import Foundation

/// The catalog writes (issue 15): resources with their schedules, offers as drafts and publishing.
/// Every range here is the builder's own (`OfferSettingsInput.integers`, `ManageInput`), read from
/// the same constants the server checks with.
extension APISpec {
    static let resourcePath = Parameter(name: "resource", location: "path", required: true, description: "The resource's slug.", schema: .slug)
    static let rowIDPath = Parameter(name: "id", location: "path", required: true, description: "The closure's or blocked time's id.",
                                     schema: .integer(minimum: 1))

    /// `HH:MM`, 00:00 to 24:00.
    static let wallTime = Schema.string(pattern: "^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$", maxLength: 5,
                                        description: "HH:MM in the business's time zone, 00:00 to 24:00")
    static let amount = Schema.integer(minimum: 0, maximum: Int(OfferSettingsInput.maxAmount), description: "minor units (cents) of the business's currency")
    /// A name the builder takes: at most 120 characters with at least one letter or digit.
    static let catalogName = Schema.string(pattern: "^[^\\u0000-\\u001f]*[A-Za-z0-9][^\\u0000-\\u001f]*$", minLength: 1, maxLength: 120,
                                           description: "at most 120 characters, at least one letter or digit, no control characters; the slug is made from it")

    static let catalogDescriptionNote = "The checks are the business builder's: a request the offer editor would refuse is refused the same way (422, `field` naming the API field)."

    static let catalogOperations: [Operation] = [
        Operation(method: "POST", path: "/api/v1/resources", id: "createResource", tag: "Catalog", summary: "Add a resource",
                  description: "Adds a host, venue, asset, virtual room or company, with its weekly hours when `hours` is given (days left out are closed), in one transaction. Its slug is made from the name (made unique with a number). The key is recorded on the resource.",
                  permission: .providerManageOrg,
                  body: ("ResourceRequest", true, #"{"name":"Kim Coach","kind":"host","tags":["coaching"],"hours":{"mon":{"opens":"09:00","closes":"17:00"},"wed":{"opens":"12:00","closes":"20:00"}}}"#),
                  status: 201, answer: "ResourceDetail", errors: [400, 401, 403, 413, 422, 429]),
        Operation(method: "GET", path: "/api/v1/resources/{resource}", id: "getResource", tag: "Catalog", summary: "A resource with its schedule",
                  description: "The resource with its weekly hours (the first window of each day), date overrides (`closures`) and blocked time.",
                  permission: .providerManageOrg, parameters: [resourcePath],
                  status: 200, answer: "ResourceDetail", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/resources/{resource}", id: "updateResource", tag: "Catalog", summary: "Change a resource",
                  description: "Changes the name, tags, capacity and daily limits; fields left out keep their value, the slug stays. A host's capacity is 1 and cannot change (422). A capacity below the most upcoming bookings that overlap on the resource is 409 `capacity_below_bookings`.",
                  permission: .providerManageOrg, parameters: [resourcePath],
                  body: ("ResourceUpdateRequest", true, #"{"tags":["coaching","senior"],"max_bookings_per_day":6}"#),
                  status: 200, answer: "ResourceDetail", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/resources/{resource}/hours", id: "setResourceHours", tag: "Catalog", summary: "Set the weekly hours",
                  description: "Replaces the resource's weekly hours: one window a day, days left out are closed (seasonal hours set on the pages stay). A closing time not after the opening time is 422.",
                  permission: .providerManageOrg, parameters: [resourcePath],
                  body: ("HoursRequest", true, #"{"hours":{"mon":{"opens":"09:00","closes":"17:00"},"tue":{"opens":"09:00","closes":"17:00"}}}"#),
                  status: 200, answer: "ResourceDetail", errors: [400, 401, 403, 404, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/resources/{resource}/closures", id: "addResourceClosure", tag: "Catalog", summary: "Close a day or change its hours",
                  description: "A date override: `closed` all day (then without `opens` and `closes`: hours sent with it are 422), or `special_hours` (`opens` and `closes` required, closing after opening) instead of the weekly hours that day.",
                  permission: .providerManageOrg, parameters: [resourcePath],
                  body: ("ClosureRequest", true, #"{"date":"2026-12-24","kind":"special_hours","opens":"09:00","closes":"13:00","note":"Christmas Eve"}"#),
                  status: 201, answer: "Closure", errors: [400, 401, 403, 404, 413, 422, 429]),
        Operation(method: "DELETE", path: "/api/v1/resources/{resource}/closures/{id}", id: "removeResourceClosure", tag: "Catalog", summary: "Remove a closure",
                  description: "Removes the date override.", permission: .providerManageOrg, parameters: [resourcePath, rowIDPath],
                  status: 204, answer: "", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/resources/{resource}/blocks", id: "addResourceBlock", tag: "Catalog", summary: "Block time",
                  description: "Blocks the resource between two instants (time off, maintenance): no booking is offered that overlaps it. Bookings already made stay. An `end` not after `start` is 422.",
                  permission: .providerManageOrg, parameters: [resourcePath],
                  body: ("BlockRequest", true, #"{"start":"2026-12-01T14:00:00Z","end":"2026-12-01T18:00:00Z","reason":"Training"}"#),
                  status: 201, answer: "Block", errors: [400, 401, 403, 404, 413, 422, 429]),
        Operation(method: "DELETE", path: "/api/v1/resources/{resource}/blocks/{id}", id: "removeResourceBlock", tag: "Catalog", summary: "Remove blocked time",
                  description: "Removes the blocked time.", permission: .providerManageOrg, parameters: [resourcePath, rowIDPath],
                  status: 204, answer: "", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/offers", id: "createOffer", tag: "Catalog", summary: "Add an offer (as a draft)",
                  description: "Adds an offer with a first draft version: the builder's new offer (one length, a start every `min(length, 60)` minutes, an hour's notice, 180 days ahead, any one host) with the settings given. Customers see it once the draft is published (`POST /api/v1/offers/{offer}/publish`). Its slug is made from the name. The key is recorded on the offer and its draft. \(catalogDescriptionNote) Settings the schema cannot state: `duration_max_minutes` not below `duration_minutes`, their difference a multiple of `duration_step_minutes`; `min_participants` at most `seats`; different `hours_before` for each cancellation tier; each of `resources` names either a `resource` (an active one's slug) or a `kind`, and at least one is required; `deposit.percent` (for `percent`) or `deposit.amount` (for `fixed`); each day's `closes` after its `opens`.",
                  permission: .serviceTemplateManage,
                  body: ("OfferRequest", true, #"{"name":"Coaching session","duration_minutes":45,"price":{"amount":6000},"resources":[{"kind":"host","tag":"coaching"}],"cancellation_tiers":[{"hours_before":24,"refund_percent":100}]}"#),
                  status: 201, answer: "OfferDetail", errors: [400, 401, 403, 413, 422, 429]),
        Operation(method: "GET", path: "/api/v1/offers/{offer}", id: "getOffer", tag: "Catalog", summary: "An offer with its draft and published settings",
                  description: "The offer's status and the settings of its draft and of its published version (null when it has none), in the names a draft is written with.",
                  permission: .serviceTemplateManage, parameters: [offerPath],
                  status: 200, answer: "OfferDetail", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/offers/{offer}/draft", id: "saveOfferDraft", tag: "Catalog", summary: "Write the draft",
                  description: "Saves the offer's draft: the settings given, on top of the current draft (else the published version); fields left out keep their value. A published version never changes: bookings made on it keep its terms. `resources`, `cancellation_tiers` and `hours` replace the whole list when given. \(catalogDescriptionNote) The settings the schema cannot state are those of `POST /api/v1/offers`.",
                  permission: .serviceTemplateManage, parameters: [offerPath],
                  body: ("OfferSettingsRequest", true, #"{"seats":8,"approval_required":true,"hours":{"mon":{"opens":"10:00","closes":"16:00"}}}"#),
                  status: 200, answer: "OfferDetail", errors: [400, 401, 403, 404, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/offers/{offer}/publish", id: "publishOffer", tag: "Catalog", summary: "Publish the draft",
                  description: "Publishes the draft: new bookings use it from now on. An offer without a draft is 409 `no_draft`. Places freed by it (more seats, more hours) go to the waitlist first.",
                  permission: .serviceTemplateManage, parameters: [offerPath],
                  status: 200, answer: "OfferDetail", errors: [401, 403, 404, 409, 429]),
        Operation(method: "POST", path: "/api/v1/offers/{offer}/status", id: "setOfferStatus", tag: "Catalog", summary: "Pause, resume or archive",
                  description: "`live` offers are bookable (once published); `paused` and `archived` ones are not. Bookings already made stay.",
                  permission: .serviceTemplateManage, parameters: [offerPath],
                  body: ("OfferStatusRequest", true, #"{"status":"paused"}"#),
                  status: 200, answer: "OfferDetail", errors: [400, 401, 403, 404, 413, 422, 429]),
    ]

    static let weekHours = Schema.object(ManageInput.dayKeys.map { ($0, Schema.ref("DayHours")) }, required: [],
                                         description: "one window a day; days left out are closed")

    static let priceRequest = Schema.object([
        ("amount", amount),
        ("model", .string(enumeration: OfferSettingsInput.priceModels, description: "default: the version's model (fixed for a new offer)")),
        ("increment_minutes", .integer(minimum: 1, maximum: 1440, description: "hourly: charged per started increment")),
        ("minimum_minutes", .integer(minimum: 0, maximum: 10080, description: "hourly: charged at least this long")),
    ], required: [])

    /// The integer settings, each with the editor's range.
    static let settingIntegers: [(String, Schema)] = OfferSettingsInput.integers.map { name, _, range in
        (name, Schema.integer(minimum: range.lowerBound, maximum: range.upperBound))
    }

    static func settingsProperties(priceRequired: Bool) -> [(String, Schema)] {
        let requiredPrice = Schema.object([("amount", amount),
                                           ("model", .string(enumeration: OfferSettingsInput.priceModels, description: "default fixed")),
                                           ("increment_minutes", .integer(minimum: 1, maximum: 1440)),
                                           ("minimum_minutes", .integer(minimum: 0, maximum: 10080))], required: ["amount"])
        let tier = Schema.object([("hours_before", .integer(minimum: 0, maximum: 8760)), ("refund_percent", .integer(minimum: 0, maximum: 100))],
                                 required: ["hours_before", "refund_percent"])
        let deposit = Schema.object([("kind", .string(enumeration: OfferSettingsInput.depositKinds)),
                                     ("percent", .integer(minimum: 1, maximum: 100, description: "percent deposits")),
                                     ("amount", amount)], required: ["kind"])
        let more: [(String, Schema)] = [
            ("approval_required", .boolean),
            ("reschedule_allowed", .boolean),
            ("price", priceRequired ? requiredPrice : priceRequest),
            ("deposit", deposit),
            ("cancellation_tiers", .array(tier, maxItems: VersionForm.tierRows)),
            ("resources", .array(.ref("OfferResourceRequest"), minItems: 1, maxItems: VersionForm.componentRows)),
            ("hours", .ref("WeekHoursRequest")),
        ]
        return settingIntegers + more
    }

    static let settingsAnswer: Schema = {
        let price = Schema.object([("amount", .money), ("currency", .string(pattern: "^[A-Z]{3}$")),
                                   ("model", .string(enumeration: OfferSettingsInput.priceModels)),
                                   ("increment_minutes", .integer(minimum: 1)), ("minimum_minutes", .integer(minimum: 0))],
                                  required: ["amount", "currency", "model", "increment_minutes", "minimum_minutes"])
        let deposit = Schema.object([("kind", .string(enumeration: OfferSettingsInput.depositKinds)), ("percent", .integer(minimum: 1, maximum: 100)),
                                     ("amount", .money)], required: ["kind"])
        let tier = Schema.object([("hours_before", .integer(minimum: 0)), ("refund_percent", .integer(minimum: 0, maximum: 100))],
                                 required: ["hours_before", "refund_percent"])
        let part = Schema.object([("resource", .string(nullable: true, description: "a resource's slug")),
                                  ("kind", .string(nullable: true, description: "any resource of this kind: \(ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))")),
                                  ("tag", .string(nullable: true)), ("count", .integer(minimum: 1)), ("role", .text),
                                  ("required", .boolean)],
                                 required: ["resource", "kind", "tag", "count", "role", "required"])
        let more: [(String, Schema)] = [
            ("approval_required", .boolean), ("reschedule_allowed", .boolean), ("price", price), ("deposit", deposit),
            ("cancellation_tiers", .array(tier)), ("resources", .array(part)), ("hours", .ref("HoursAnswer")),
            ("pricing_rules", .integer(minimum: 0, description: "how many pricing rules (set on the offer page)")),
        ]
        let integers: [(String, Schema)] = OfferSettingsInput.integers.map { name, _, range in (name, Schema.integer(minimum: range.lowerBound)) }
        return .object(integers + more,
                       required: OfferSettingsInput.integers.map(\.0) + ["approval_required", "reschedule_allowed", "price", "deposit",
                                                                         "cancellation_tiers", "resources", "hours", "pricing_rules"])
    }()

    static let offerRequestProperties: [(String, Schema)] =
        [("name", catalogName), ("mode", .string(enumeration: OfferAPI.modes, description: "default slot"))]
        + settingsProperties(priceRequired: true)

    static let catalogSchemas: [(String, Schema)] = [
        ("DayHours", .object([("opens", wallTime), ("closes", wallTime)], required: ["opens", "closes"])),
        ("WeekHoursRequest", weekHours),
        ("ResourceRequest", .object([
            ("name", catalogName),
            ("kind", .string(enumeration: ResourceHandlers.kinds.map(\.0))),
            ("capacity", .integer(minimum: 1, maximum: 10000, description: "bookings at once; default 1")),
            ("tags", .array(.string(maxLength: 60), maxItems: 20)),
            ("hours", .ref("WeekHoursRequest")),
        ], required: ["name", "kind"])),
        ("ResourceUpdateRequest", .object([
            ("name", catalogName),
            ("tags", .array(.string(maxLength: 60), maxItems: 20)),
            ("capacity", .integer(minimum: 1, maximum: 10000)),
            ("max_bookings_per_day", .integer(minimum: 0, maximum: 1000, description: "0: no limit")),
            ("min_rest_minutes", .integer(minimum: 0, maximum: 1440, description: "between two bookings; 0: none")),
        ], required: [])),
        ("HoursRequest", .object([("hours", .ref("WeekHoursRequest"))], required: ["hours"])),
        ("ClosureRequest", .object([
            ("date", .string(format: "date", maxLength: 10)),
            ("kind", .string(enumeration: ["closed", "special_hours"], description: "default closed")),
            ("opens", wallTime), ("closes", wallTime),
            ("note", .string(maxLength: 200)),
        ], required: ["date"])),
        ("BlockRequest", .object([
            ("start", .string(format: "date-time", maxLength: 40, description: "RFC 3339 UTC")),
            ("end", .string(format: "date-time", maxLength: 40, description: "RFC 3339 UTC, after start")),
            ("reason", .string(maxLength: 200)),
        ], required: ["start", "end"])),
        ("Closure", .object([("id", .integer(minimum: 1)), ("date", .date), ("kind", .string(enumeration: ["closed", "special_hours"])),
                             ("opens", .string(nullable: true)), ("closes", .string(nullable: true)), ("note", .text)],
                            required: ["id", "date", "kind", "opens", "closes", "note"])),
        ("Block", .object([("id", .integer(minimum: 1)), ("start", .time), ("end", .time), ("reason", .text)],
                          required: ["id", "start", "end", "reason"])),
        ("HoursAnswer", .object(ManageInput.dayKeys.map { ($0, Schema.ref("DayHours")) }, required: [])),
        ("ResourceDetail", .object([
            ("slug", .text), ("name", .text), ("kind", .string(enumeration: ResourceKind.allCases.map(\.rawValue))),
            ("capacity", .integer(minimum: 1)), ("tags", .array(.text)), ("hours", .ref("HoursAnswer")),
            ("max_bookings_per_day", .integer(minimum: 1, nullable: true)), ("min_rest_minutes", .integer(minimum: 0, nullable: true)),
            ("closures", .array(.ref("Closure"))), ("blocks", .array(.ref("Block"))),
        ], required: ["slug", "name", "kind", "capacity", "tags", "hours", "max_bookings_per_day", "min_rest_minutes", "closures", "blocks"])),
        ("OfferResourceRequest", .object([
            ("resource", .string(maxLength: 60, description: "a resource's slug (only this one); not with kind")),
            ("kind", .string(enumeration: OfferSettingsInput.resourceKinds, description: "any resource of this kind; not with resource")),
            ("tag", .string(maxLength: 60, description: "with kind: only those with this tag")),
            ("count", .integer(minimum: 1, maximum: 100, description: "how many; default 1")),
            ("role", .string(pattern: CatalogInput.printablePattern, maxLength: 40, description: "a label such as host or room, no control characters; default the kind")),
            ("required", .boolean),
        ], required: [])),
        ("OfferRequest", .object(offerRequestProperties, required: ["name", "duration_minutes", "price"])),
        ("OfferSettingsRequest", .object(settingsProperties(priceRequired: false), required: [])),
        ("OfferStatusRequest", .object([("status", .string(enumeration: CatalogJSON.offerStatuses))], required: ["status"])),
        ("OfferSettings", settingsAnswer),
        ("OfferDetail", .object([
            ("slug", .text), ("name", .text), ("mode", .string(enumeration: OfferMode.allCases.map(\.rawValue))),
            ("status", .string(enumeration: OfferStatus.allCases.map(\.rawValue))),
            ("draft_version", .integer(minimum: 1, nullable: true)), ("published_version", .integer(minimum: 1, nullable: true)),
            ("draft", .nullableRef("OfferSettings")), ("published", .nullableRef("OfferSettings")),
        ], required: ["slug", "name", "mode", "status", "draft_version", "published_version", "draft", "published"])),
    ]
}
