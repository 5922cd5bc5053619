/// Headers every response carries, and the stricter set for HTML.
public enum SecurityHeaders {
    /// Only this site's own scripts, styles, images and forms; no framing by anyone.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// Adds what the handler did not set itself. One pass over the response's fields: this runs on
    /// every response, so it stays off the profile.
    public static func apply(to response: inout Response) {
        var hasNosniff = false, hasReferrer = false, hasCSP = false, hasCacheControl = false
        var contentType: String?
        for field in response.headers {
            if field.name.caseInsensitiveEquals("Content-Type") {
                if contentType == nil { contentType = field.value }
            } else if field.name.caseInsensitiveEquals("X-Content-Type-Options") {
                hasNosniff = true
            } else if field.name.caseInsensitiveEquals("Referrer-Policy") {
                hasReferrer = true
            } else if field.name.caseInsensitiveEquals("Content-Security-Policy") {
                hasCSP = true
            } else if field.name.caseInsensitiveEquals("Cache-Control") {
                hasCacheControl = true
            }
        }
        let isHTML = contentType?.hasPrefix("text/html") ?? false
        response.headers.reserveCapacity(response.headers.count + (isHTML ? 5 : 2))
        if !hasNosniff { response.headers.add("X-Content-Type-Options", "nosniff") }
        if !hasReferrer { response.headers.add("Referrer-Policy", "same-origin") }
        if isHTML {
            if !hasCSP { response.headers.add("Content-Security-Policy", contentSecurityPolicy) }
            response.headers.add("X-Frame-Options", "DENY")
            if !hasCacheControl { response.headers.add("Cache-Control", "no-store") }
        }
    }
}
