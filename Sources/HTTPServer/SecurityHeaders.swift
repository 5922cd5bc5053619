/// Headers every response carries, and the stricter set for HTML.
public enum SecurityHeaders {
    /// Only this site's own scripts, styles, images and forms; no framing by anyone.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    public static func apply(to response: inout Response) {
        if !response.headers.contains("X-Content-Type-Options") { response.headers.add("X-Content-Type-Options", "nosniff") }
        if !response.headers.contains("Referrer-Policy") { response.headers.add("Referrer-Policy", "same-origin") }
        if response.isHTML {
            if !response.headers.contains("Content-Security-Policy") {
                response.headers.add("Content-Security-Policy", contentSecurityPolicy)
            }
            response.headers.add("X-Frame-Options", "DENY")
            if !response.headers.contains("Cache-Control") { response.headers.add("Cache-Control", "no-store") }
        }
    }
}
