import Foundation
import HTTPServer

enum JSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func response(_ value: some Encodable, status: HTTPStatus = .ok) -> Response {
        do {
            return .json(Array(try encoder.encode(value)), status: status)
        } catch {
            return .json(Array(#"{"error":{"code":"internal_error","message":"The answer could not be encoded."}}"#.utf8),
                         status: .internalServerError)
        }
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let field: String?
        }
        let error: Detail
    }

    static func error(_ error: WebError) -> Response {
        var response = response(ErrorBody(error: .init(code: error.code, message: error.message, field: error.field)),
                                status: error.status)
        for (name, value) in error.headers { response.headers.add(name, value) }
        return response
    }
}
