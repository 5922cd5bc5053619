import BookingCore
import Foundation
import HTTPServer
import Store

/// The integrator endpoints beyond the booking core's (issue 8): the OpenAPI document and its
/// reference page, resources, an offer's versions, reschedule, check in / complete / no-show,
/// and the API key management pages.
extension App {
    static func addAPIRoutes(to table: inout RouteTable) {
        table.add("GET", "/api/v1/openapi.json") { _ in
            var response = Response.json(APISpec.json)
            response.headers.set("Cache-Control", "public, max-age=300")
            return response
        }
        table.add("GET", "/api") { context in
            context.app.page("api/reference", try APIReference.page(layout: context.layout(title: "Bizing API reference")))
        }
        table.add("GET", "/api/v1/resources", requires: .apiKey(nil)) { context in
            let principal = try context.apiPrincipal()
            let resources = try context.app.database.resources(businessID: principal.business.id)
            return .json(APIModels.resourcesBody(resources))
        }
        table.add("GET", "/api/v1/packages", requires: .apiKey(nil)) { context in
            let principal = try context.apiPrincipal()
            return .json(APIModels.packagesBody(try context.app.database.packages(businessID: principal.business.id),
                                                offers: try context.app.database.liveOffers(businessID: principal.business.id)))
        }
        table.add("GET", "/api/v1/wallet", requires: .apiKey(.bookingViewOrg)) { context in
            let principal = try context.apiPrincipal()
            guard let email = Validation.normalizedEmail(context.request.query["email"] ?? "") else {
                throw WebError.unprocessable("validation_failed", "email must be an email address like name@example.com.", field: "email")
            }
            // No account, no lots: the answer does not say whether the email has an account.
            let entries = try context.app.database.user(email: email)
                .map { try context.app.database.wallet(userID: $0.id, businessID: principal.business.id) } ?? []
            return .json(APIModels.walletBody(email: email, entries, offers: try context.app.database.liveOffers(businessID: principal.business.id),
                                              now: context.instant))
        }
        table.add("GET", "/api/v1/offers/:offer/versions", requires: .apiKey(.serviceTemplateManage)) { context in
            let principal = try context.apiPrincipal()
            let slug = try context.parameter("offer")
            guard let versions = try context.app.database.offerVersions(businessID: principal.business.id, offerSlug: slug) else {
                throw BookingFailure.offerNotFound
            }
            return .json(APIModels.versionsBody(offer: slug, versions))
        }
        table.add("POST", "/api/v1/bookings/:id/reschedule", requires: .apiKey(.bookingManageOrg)) { context in
            let principal = try context.apiPrincipal()
            let json = try StrictJSON(body: context.request.body, allowed: ["start"])
            guard let start = RFC3339.parse(try json.requiredString("start", maxLength: 40)) else {
                throw WebError.unprocessable("validation_failed", "start must be an RFC 3339 UTC time like 2026-12-01T14:00:00Z.", field: "start")
            }
            let id = try context.parameter("id")
            let order = try context.app.reschedule(context, business: principal.business, publicID: id, start: start,
                                                   actor: .apiKey(principal.keyID), rules: .business)
            return .json(APIModels.bookingBody(order, mask: try context.apiMask(principal)))
        }
        for (action, status, permission) in [("check-in", BookingStatus.checkedIn, Permission.bookingCheckIn),
                                             ("complete", .completed, .bookingManageOrg),
                                             ("no-show", .noShow, .bookingManageOrg)] {
            table.add("POST", "/api/v1/bookings/:id/\(action)", requires: .apiKey(permission)) { context in
                let principal = try context.apiPrincipal()
                let id = try context.parameter("id")
                let order = try context.app.transition(context, business: principal.business, publicID: id, to: status,
                                                       actor: .apiKey(principal.keyID))
                return .json(APIModels.bookingBody(order, mask: try context.apiMask(principal)))
            }
        }
        addAPIKeyPageRoutes(to: &table)
        addCatalogRoutes(to: &table)
    }
}

/// `/api`: the OpenAPI document rendered for people (same source as `openapi.json`).
enum APIReference {
    /// A run of text; `isCode` for what the document writes in backticks.
    struct Segment: Sendable {
        let text: String
        let isCode: Bool
    }

    static func segments(_ text: String) -> [Segment] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { index, part in
            part.isEmpty ? nil : Segment(text: String(part), isCode: index % 2 == 1)
        }
    }

    struct Field: Sendable {
        let name: String
        let type: String
        let required: Bool
        let description: String
    }

    struct Parameter: Sendable {
        let name: String
        let location: String
        let type: String
        let required: Bool
        let description: [Segment]
    }

    struct Answer: Sendable {
        let status: Int
        let description: [Segment]
        let schema: String
        let hasSchema: Bool
    }

    struct Operation: Sendable {
        let anchor: String
        let method: String
        let path: String
        let summary: String
        let description: [Segment]
        let permission: String?
        let authenticated: Bool
        let parameters: [Parameter]
        let hasParameters: Bool
        let body: String?
        let bodyRequired: Bool
        let example: String?
        let answers: [Answer]
    }

    struct Schema: Sendable {
        let name: String
        let fields: [Field]
        let hasFields: Bool
    }

    struct Page: Sendable {
        let layout: Layout
        let operations: [Operation]
        let schemas: [Schema]
    }

    static func typeName(_ schema: APISpec.Schema) -> String {
        switch schema {
        case .string(let format, let enumeration, _, _, let maxLength, let nullable, _):
            var text = enumeration.map { "one of " + $0.joined(separator: ", ") } ?? "string"
            if let format { text += " (\(format))" }
            if let maxLength { text += ", ≤ \(maxLength) chars" }
            return text + (nullable ? " or null" : "")
        case .integer(let minimum, let maximum, let nullable, _):
            var text = "integer"
            if let minimum, let maximum { text += " \(minimum)–\(maximum)" } else if let minimum { text += " ≥ \(minimum)" }
            return text + (nullable ? " or null" : "")
        case .boolean: return "boolean"
        case .array(let items, _, _): return "array of " + typeName(items)
        case .object: return "object"
        case .ref(let name): return name
        case .oneOf(let schemas, _): return "one of " + schemas.map(typeName).joined(separator: ", ")
        case .nullableRef(let name): return name + " or null"
        case .anyObject: return "object"
        case .map(let values, _, let maxProperties, _): return "object of ≤ \(maxProperties) " + typeName(values) + " by key"
        }
    }

    static func describe(_ schema: APISpec.Schema) -> String {
        switch schema {
        case .string(_, _, _, _, _, _, let description), .integer(_, _, _, let description), .map(_, _, _, let description): description ?? ""
        default: ""
        }
    }

    static func fields(_ schema: APISpec.Schema, prefix: String = "") -> [Field] {
        guard case .object(let properties, let required, _) = schema else { return [] }
        return properties.flatMap { name, property -> [Field] in
            let field = Field(name: prefix + name, type: typeName(property), required: required.contains(name), description: describe(property))
            if case .object = property { return [field] + fields(property, prefix: prefix + name + ".") }
            return [field]
        }
    }

    static func page(layout: Layout) -> Page {
        let operations = APISpec.operations.map { operation in
            Operation(
                anchor: operation.id, method: operation.method, path: operation.path, summary: operation.summary,
                description: segments(operation.description), permission: operation.permission?.rawValue, authenticated: operation.authenticated,
                parameters: operation.allParameters.map {
                    Parameter(name: $0.name, location: $0.location, type: typeName($0.schema), required: $0.required, description: segments($0.description))
                },
                hasParameters: !operation.allParameters.isEmpty, body: operation.body?.schema, bodyRequired: operation.body?.required ?? false,
                example: operation.body?.example,
                answers: [Answer(status: operation.status, description: segments([201: "Created", 202: "Accepted", 204: "No content"][operation.status] ?? "OK"), schema: operation.answer,
                                 hasSchema: !operation.answer.isEmpty)]
                    + operation.allErrors.map { status in
                        let info = APISpec.errorCodes[status]!
                        return Answer(status: status, description: segments(info.description + " Codes: `" + info.codes.joined(separator: "`, `") + "`."),
                                      schema: "Error", hasSchema: true)
                    })
        }
        let schemas = APISpec.schemas.map { name, schema in
            let fields = fields(schema)
            return Schema(name: name, fields: fields, hasFields: !fields.isEmpty)
        }
        return Page(layout: layout, operations: operations, schemas: schemas)
    }
}
