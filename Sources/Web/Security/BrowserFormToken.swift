import Crypto
import Foundation
import HTTPServer
import Store

/// Form tokens for visitors who are not signed in, bound to a browser cookie rather than a session.
///
/// A first page with a form sets `bizing_form_<id>=<256 random bits>` (HttpOnly, SameSite=Lax, a
/// year), and its forms carry `b.<id>.<HMAC-SHA256(server key, id, value)>`. A POST is accepted only
/// when it carries the cookie the token names and the HMAC matches: a token is good for the browser
/// that rendered the form and no other. Two pages opened at once on a first visit each set a cookie
/// of their own name, so the browser keeps both and both forms work; no other visitor's token is
/// ever accepted. No session is created for an anonymous visitor.
extension Security {
    static let browserCookiePrefix = "bizing_form_"
    /// Long-lived (browsers cap cookies at 400 days); it holds nothing but randomness.
    static let browserCookieLifetime = 365 * 24 * 3600

    /// A browser cookie: its name's id (12 hex digits) and its random value.
    struct BrowserCookie: Sendable, Equatable {
        let id: String
        let value: String
        var name: String { Security.browserCookiePrefix + id }

        static func generate() -> BrowserCookie {
            var rng = SystemRandomNumberGenerator()
            let id = Tokens.hex((0..<6).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
            return BrowserCookie(id: id, value: SessionToken.generate().value)
        }

        static func isID(_ text: Substring) -> Bool {
            text.utf8.count == 12 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
        }
    }

    /// The browser cookies a request carries that we could have set.
    static func browserCookies(in request: Request) -> [BrowserCookie] {
        request.cookies.compactMap { name, value in
            guard name.hasPrefix(browserCookiePrefix) else { return nil }
            let id = name.dropFirst(browserCookiePrefix.count)
            guard BrowserCookie.isID(id), SessionToken(cookie: value) != nil else { return nil }
            return BrowserCookie(id: String(id), value: value)
        }.sorted { $0.id < $1.id }
    }

    /// `b.<id>.<mac>`: 58 ASCII characters.
    func browserFormToken(for cookie: BrowserCookie) -> String {
        "b.\(cookie.id).\(Base64URL.encode(browserMAC(cookie)))"
    }

    private func browserMAC(_ cookie: BrowserCookie) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Array("bizing-form\u{0}\(cookie.id)\u{0}\(cookie.value)".utf8),
                                        using: SymmetricKey(data: csrfKey))
    }

    /// The cookie id a well-formed browser form token names, or nil.
    static func browserTokenID(_ token: String) -> Substring? {
        guard token.utf8.count == 58, token.hasPrefix("b.") else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, BrowserCookie.isID(parts[1]), parts[2].utf8.count == 43 else { return nil }
        return parts[1]
    }

    /// Constant-time check of a browser form token against the cookie it names.
    func isValidBrowserToken(_ token: String, in request: Request) -> Bool {
        guard let id = Self.browserTokenID(token),
              let cookie = Self.browserCookies(in: request).first(where: { $0.id == id }),
              let mac = Base64URL.decode(String(token.split(separator: ".")[2])), mac.count == 32 else { return false }
        let expected = Array(browserMAC(cookie))
        // Constant time: every byte compared.
        return zip(mac, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Is `token` shaped like a token we issue (a session's: 54 base64url characters; a browser's:
    /// `b.<12 hex>.<43 base64url>`)? Checked before anything is looked up.
    static func isWellFormedFormToken(_ token: String) -> Bool {
        if token.utf8.count == 54 { return Base64URL.decode(token)?.count == 40 }
        return browserTokenID(token) != nil && Base64URL.decode(String(token.suffix(43)))?.count == 32
    }
}
