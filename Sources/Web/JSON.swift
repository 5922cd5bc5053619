import HTTPServer

/// The API's error answers; every JSON body is written by `JSONWriter`.
enum JSON {
    /// `{"error":{"code","message","field"}}` with the error's status and headers.
    static func error(_ error: WebError) -> Response {
        var json = JSONWriter(capacity: 160)
        json.beginObject()
        json.key("error")
        json.beginObject()
        json.field("code", error.code)
        if let field = error.field { json.field("field", field) }
        json.field("message", error.message)
        json.endObject()
        json.endObject()
        var response = Response.json(json.bytes, status: error.status)
        for (name, value) in error.headers { response.headers.add(name, value) }
        return response
    }
}
