#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where outbound HTTP may go. `allowPrivate` false (the default): the host is resolved first and every
/// loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 incl. metadata 169.254.169.254,
/// fe80::/10), unspecified, CGNAT 100.64/10 and multicast address is refused with .refusedDestination;
/// the connection is pinned to the checked address (CURLOPT_RESOLVE) so DNS cannot change in between.
/// Redirects are never followed (a 3xx is returned as the response). Only http and https schemes.
public struct DestinationPolicy: Sendable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool = false) { self.allowPrivate = allowPrivate }

    /// Why an address may not be a destination (`"loopback"`, `"private"`…), or nil when it may.
    /// `address` is 4 (IPv4) or 16 (IPv6) bytes in network order.
    public static func refusal(_ address: [UInt8]) -> String? {
        if address.count == 16 {
            let a = address
            if a.allSatisfy({ $0 == 0 }) { return "unspecified" }
            if a[0..<15].allSatisfy({ $0 == 0 }) && a[15] == 1 { return "loopback" }
            if a[0..<10].allSatisfy({ $0 == 0 }) && ((a[10] == 0xFF && a[11] == 0xFF) || (a[10] == 0 && a[11] == 0)) {
                return refusal(Array(a[12..<16]))            // IPv4-mapped and IPv4-compatible
            }
            if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B && a[4..<12].allSatisfy({ $0 == 0 }) {
                return refusal(Array(a[12..<16]))            // NAT64 64:ff9b::/96
            }
            if a[0] == 0x20 && a[1] == 0x02 { return refusal(Array(a[2..<6])) }   // 6to4 2002::/16
            if a[0] & 0xFE == 0xFC { return "private" }                        // fc00::/7
            if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return "link-local" }     // fe80::/10
            if a[0] == 0xFE && a[1] & 0xC0 == 0xC0 { return "private" }        // fec0::/10 (site-local)
            if a[0] == 0xFF { return "multicast" }
            return nil
        }
        guard address.count == 4 else { return "not an IP address" }
        let (a, b) = (address[0], address[1])
        switch a {
        case 0: return "unspecified"
        case 10: return "private"
        case 100 where b & 0xC0 == 64: return "shared (CGNAT)"
        case 127: return "loopback"
        case 169 where b == 254: return "link-local"
        case 172 where b & 0xF0 == 16: return "private"
        case 192 where b == 168: return "private"
        case 192 where b == 0 && address[2] == 0: return "reserved"
        case 198 where b & 0xFE == 18: return "reserved"
        case 224...239: return "multicast"
        case 240...255: return "reserved"
        default: return nil
        }
    }

    /// Resolves `host` and checks every address; the first one, as text, to pin the connection to.
    func checkedAddress(host: String) throws(OutboundError) -> String {
        let addresses = Self.resolve(host)
        guard let first = addresses.first else { throw .refusedDestination("\(host) does not resolve") }
        for address in addresses {
            if let reason = Self.refusal(address) {
                throw .refusedDestination("\(host) resolves to \(Self.text(address)) (\(reason))")
            }
        }
        return Self.text(first)
    }

    /// The addresses getaddrinfo gives for `host` (4 or 16 bytes each).
    static func resolve(_ host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var out: [[UInt8]] = []
        var node = list
        while let info = node?.pointee {
            if info.ai_family == AF_INET, let raw = info.ai_addr {
                raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin_addr) { out.append(Array($0)) }
                }
            } else if info.ai_family == AF_INET6, let raw = info.ai_addr {
                raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { out.append(Array($0)) }
                }
            }
            node = info.ai_next
        }
        return out
    }

    /// Dotted quad or RFC 5952 IPv6 text.
    static func text(_ address: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = address.count == 4 ? AF_INET : AF_INET6
        let ok = address.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `host` is an IP literal (no DNS involved).
    static func isLiteral(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

extension DestinationPolicy {
    /// Checks a URL the way `HTTPClient.send` will before connecting: http or https, a host, and
    /// (unless `allowPrivate`) every address it resolves to allowed. For refusing a webhook or a
    /// calendar URL when it is saved, not only when it is used.
    public func check(url text: String) throws(OutboundError) {
        let url = try CurlURL(text)
        guard url.scheme == "http" || url.scheme == "https" else {
            throw .invalidURL("only http:// and https:// URLs are allowed, not \"\(url.scheme)\"")
        }
        guard !allowPrivate else { return }
        if Self.isLiteral(url.host) {
            if let reason = Self.refusal(Self.resolve(url.host).first ?? []) {
                throw .refusedDestination("\(url.host) is a \(reason) address")
            }
        } else {
            _ = try checkedAddress(host: url.host)
        }
    }
}
