/// Headers every response carries, and the stricter set for HTML.
public enum SecurityHeaders {
    /// Only this site's own scripts, styles, images and forms; no framing by anyone.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// A page of this site opens in its own browsing-context group: a window it opened, or that
    /// opened it, from another origin gets no handle on it (Spectre, tab-napping).
    public static let crossOriginOpenerPolicy = "same-origin"

    /// Powerful browser features no Bizing page uses, turned off for the page and anything it embeds.
    public static let permissionsPolicy =
        "camera=(), microphone=(), geolocation=(), usb=(), serial=(), bluetooth=(), midi=(), "
        + "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()"

    /// HSTS for a year: sent only on a response to a request that came over TLS (see
    /// `applyTransportSecurity`), as RFC 6797 §7.2 requires.
    public static let strictTransportSecurity = "max-age=31536000"

    /// Marks a response to a request that arrived over TLS: browsers then refuse plain HTTP to this
    /// host for a year. The caller decides what "over TLS" means (a trusted proxy's header).
    public static func applyTransportSecurity(to response: inout Response) {
        response.headers.set("Strict-Transport-Security", strictTransportSecurity)
    }

    /// Adds what the handler did not set itself. One pass over the response's fields: this runs on
    /// every response, so it stays off the profile.
    public static func apply(to response: inout Response) {
        var hasNosniff = false, hasReferrer = false, hasCSP = false, hasCacheControl = false, hasPermissions = false
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
            } else if field.name.caseInsensitiveEquals("Permissions-Policy") {
                hasPermissions = true
            }
        }
        let isHTML = contentType?.hasPrefix("text/html") ?? false
        response.headers.reserveCapacity(response.headers.count + (isHTML ? 7 : 2))
        if !hasNosniff { response.headers.add("X-Content-Type-Options", "nosniff") }
        if !hasReferrer { response.headers.add("Referrer-Policy", "same-origin") }
        if isHTML {
            if !hasCSP { response.headers.add("Content-Security-Policy", contentSecurityPolicy) }
            response.headers.add("X-Frame-Options", "DENY")
            response.headers.add("Cross-Origin-Opener-Policy", crossOriginOpenerPolicy)
            if !hasPermissions { response.headers.add("Permissions-Policy", permissionsPolicy) }
            if !hasCacheControl { response.headers.add("Cache-Control", "no-store") }
        }
    }
}
