import CMicroHTTPD
import Foundation
import Synchronization

/// The listening socket and the one thread that accepts on it, handing the connections to the
/// daemons in turn with `MHD_add_connection`.
///
/// Why not libmicrohttpd's own listening socket and thread pool: every worker of the pool polls the
/// listening socket, and the one that wakes first accepts up to ten waiting connections, keeping them
/// for their whole life. A burst of keep-alive connections (a proxy's pool, a load generator) then
/// lands on one worker and the other cores idle: measured on the offer page, 365 requests/s with one
/// worker busy against 660 with both, at the same CPU per request. (Handing them to a pool with
/// `MHD_add_connection` is no cure: the pool picks the worker by socket number, and a process whose
/// every other descriptor comes in pairs, as a test's client and server ends do, sends all to one.)
final class Acceptor: Sendable {
    let socket: Int32
    private let daemons: [DaemonHandle]
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Binds and listens on `address`; nil when the address cannot be bound.
    static func listen(on address: UnsafePointer<sockaddr>, length: socklen_t, ipv6: Bool, backlog: Int32) -> (socket: Int32, port: UInt16)? {
        let fd = Glibc.socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if ipv6 { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<Int32>.size)) }
        guard bind(fd, address, length) == 0, Glibc.listen(fd, backlog) == 0 else {
            close(fd)
            return nil
        }
        var bound = sockaddr_storage()
        var boundLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &boundLength) }
        }
        guard named == 0 else {
            close(fd)
            return nil
        }
        // sin_port and sin6_port sit at the same offset, in network byte order.
        let port = withUnsafeBytes(of: bound) { UInt16(bigEndian: $0.load(fromByteOffset: 2, as: UInt16.self)) }
        return (fd, port)
    }

    init(socket: Int32, daemons: [DaemonHandle]) {
        self.socket = socket
        self.daemons = daemons
        let thread = Thread { [self] in run() }
        thread.name = "HTTP-accept"
        thread.start()
    }

    private func run() {
        defer { finished.signal() }
        var next = 0
        while !stopping.load(ordering: .acquiring) {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept(socket, $0, &length)   // MHD_add_connection makes it non-blocking and close-on-exec
                }
            }
            if client < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: usleep(10_000)   // out of descriptors: let some close
                default: if stopping.load(ordering: .acquiring) { return } else { usleep(1_000) }
                }
                continue
            }
            // libmicrohttpd closes the socket itself when it refuses it (limits, memory).
            let daemon = daemons[next]
            next = (next + 1) % daemons.count
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { MHD_add_connection(daemon.pointer, client, $0, length) }
            }
        }
    }

    /// Stops accepting: wakes the blocked `accept`, waits for the thread, closes the socket.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(socket, Int32(SHUT_RDWR))
        finished.wait()
        close(socket)
    }
}
