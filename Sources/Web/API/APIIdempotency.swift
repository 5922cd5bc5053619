import BookingCore
import Crypto
import Foundation
import HTTPServer
import Store

extension RequestContext {
    /// What an `Idempotency-Key` is bound to: the method, the path and the body, so the same key on
    /// another endpoint or with another body is a mismatch (422), never another endpoint's answer.
    var idempotencyRequestHash: Data {
        Data(SHA256.hash(data: Array("\(request.method) \(request.path)\n".utf8) + request.body))
    }
}

extension App {
    /// Runs an API POST under its `Idempotency-Key` (Stripe's semantics) unless the handler records
    /// the key itself: the key is claimed for this request, the handler runs, and its answer — an
    /// error included — is recorded and given again, with `Idempotent-Replayed: true`, to the same
    /// key and request for 24 hours. The same key with another request: 422 `idempotency_mismatch`;
    /// while the first request runs: 409 `idempotency_in_progress`. A server failure (5xx) is not
    /// recorded: the claim is released and the request may be tried again.
    func idempotent(_ route: Route, _ context: RequestContext) throws -> Response {
        guard case .apiKey = route.requirement, context.request.method == "POST", !route.ownIdempotency,
              let key = try context.idempotencyKey() else { return try route.handle(context) }
        return try underIdempotencyKey(key, context) { try route.handle(context) }
    }

    /// Claims `key` for this request, runs `body` and records its answer (see `idempotent`); also
    /// used by a handler that records its key itself for the requests it cannot answer in one
    /// transaction (an API booking of a paid offer: the hold, then Stripe's PaymentIntent).
    func underIdempotencyKey(_ key: String, _ context: RequestContext, _ body: () throws -> Response) throws -> Response {
        let principal = try context.apiPrincipal()
        let business = principal.business.id
        switch try database.claimIdempotencyKey(businessID: business, keyID: principal.keyID, key: key,
                                                requestHash: context.idempotencyRequestHash, now: context.instant) {
        case .replay(let status, let body):
            return Self.replay(status: status, body: body)
        case .mismatch:
            throw BookingFailure.idempotencyMismatch
        case .inProgress:
            throw WebError.conflict("idempotency_in_progress", "A request with this Idempotency-Key is still running; try again in a moment.",
                                    field: "Idempotency-Key")
        case .claimed:
            break
        }
        var response: Response
        do {
            response = try body()
        } catch {
            response = errorResponse(error, for: context.request)
        }
        let recorded = response.status.code < 500 ? (status: response.status.code, body: response.body) : nil
        try database.finishIdempotencyKey(businessID: business, keyID: principal.keyID, key: key, answer: recorded)
        return response
    }

    /// A recorded answer given again.
    static func replay(status: Int, body: [UInt8]) -> Response {
        var replay = Response.json(body, status: HTTPStatus(status))
        replay.headers.add("Idempotent-Replayed", "true")
        return replay
    }
}
