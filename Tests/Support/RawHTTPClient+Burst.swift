import Foundation

extension RawHTTPClient {
    /// Sends every request at once: opens all the connections, writes every request, then reads the
    /// answers. The server sees them all in flight together (up to its thread pool and group
    /// commit), from one client thread. A connection that fails gives nil. Each request should ask
    /// for `Connection: close`.
    public func burst(_ requests: [[UInt8]], timeoutSeconds: Int = 60) -> [Reply?] {
        var sockets: [Int32] = []
        sockets.reserveCapacity(requests.count)
        for _ in requests {
            sockets.append((try? connected(timeoutSeconds: timeoutSeconds)) ?? -1)
        }
        for (fd, bytes) in zip(sockets, requests) where fd >= 0 {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { break }
                offset += sent
            }
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        return sockets.map { fd -> Reply? in
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var response: [UInt8] = []
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count <= 0 { break }
                response.append(contentsOf: buffer[0..<count])
            }
            return try? Self.parse(response, isHead: false)
        }
    }

    /// The bytes of one request with `Connection: close`.
    public func raw(_ method: String, _ target: String, headers: [(String, String)] = [], body: String = "") -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        return Array((text + "\r\n" + body).utf8)
    }
}
