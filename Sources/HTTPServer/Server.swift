import CMicroHTTPD
import Foundation
public import Logging
import Synchronization

/// Limits and sizing for the server. Defaults are safe for a public deployment.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (tests); read the bound one from `Server.port`.
    public var port: UInt16 = 8080
    /// libmicrohttpd worker threads (each with its own epoll loop): they read requests, answer those
    /// that only read (GET, HEAD, OPTIONS) and send every answer, so one per core.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Threads that answer requests that may change data (POST, PUT, PATCH, DELETE), off
    /// libmicrohttpd's threads: such an answer may wait for the writer's commit, and a libmicrohttpd
    /// thread that waits holds up every connection it serves. Answered there, a commit batch never
    /// held more bookings than there are cores (1,450 bookings/s from 8 to 64 clients on 2 cores).
    /// 0: every answer made in place.
    public var writeThreads: Int = 64
    /// Write threads doing CPU work at once (a `CoreGate`), admitted in order of arrival; the others
    /// wait their turn, and a thread waiting for a commit or another server gives its turn away.
    /// One per core: booking at 32 clients on 2 cores, p99 17.7–20.7 ms without it and 13.6–16.2 ms
    /// with it, at 64 clients 28.7–35.6 and 23.5–28.1 ms (`scripts/book-load.sh`, three alternating runs).
    /// 0: no gate (every write thread runs when it can).
    public var writeCores: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Largest request body accepted; larger is 413, decided from Content-Length before reading.
    public var maxBodyBytes: Int = 1 << 20
    /// Per-connection memory for the request line and headers; beyond it libmicrohttpd answers 431.
    public var maxHeaderBytes: Int = 32 * 1024
    public var maxConnections: Int = 4096
    public var maxConnectionsPerIP: Int = 512
    /// Idle seconds before a connection is closed (libmicrohttpd's default is never: slowloris).
    public var connectionTimeoutSeconds: Int = 15
    /// libmicrohttpd's `MHD_OPTION_STRICT_FOR_CLIENT` (0.9.75 has no `CLIENT_DISCIPLINE_LVL`): at 1 it
    /// answers 400 and closes for an HTTP/1.1 request without `Host`. The rest of the framing checks
    /// are `RequestFraming`, run before routing.
    public var strictForClient: Int32 = 1

    public init() {}
}

public enum ServerError: Error, CustomStringConvertible {
    case badAddress(String)
    case startFailed(host: String, port: UInt16)

    public var description: String {
        switch self {
        case .badAddress(let host): "not an IP address to listen on: \(host)"
        case .startFailed(let host, let port): "could not listen on \(host):\(port) (in use, or not permitted)"
        }
    }
}

/// What the application provides: the handler for complete requests, and the page for errors the
/// server itself detects (400 malformed target, 413 body too large, 500 for a crashed handler).
public protocol HTTPApplication: Sendable {
    func respond(to request: Request) -> Response
    func errorResponse(_ status: HTTPStatus, for request: Request) -> Response
}

/// libmicrohttpd daemons in epoll mode, one thread each, calling an `HTTPApplication` for every
/// request; the connections come from an `Acceptor`, which deals them out to the daemons in turn.
public final class Server: Sendable {
    private let context: ServerContext
    private let daemons: Mutex<[DaemonHandle]>
    private let acceptor: Acceptor
    public let port: UInt16

    public init(configuration: ServerConfiguration, application: any HTTPApplication, logger: Logger) throws {
        let context = ServerContext(configuration: configuration, application: application, logger: logger)
        let unmanaged = Unmanaged.passRetained(context)
        var address = sockaddr_storage()
        guard Self.fill(&address, host: configuration.host, port: configuration.port) else {
            unmanaged.release()
            throw ServerError.badAddress(configuration.host)
        }
        let ipv6 = configuration.host.contains(":")
        let length = socklen_t(ipv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Acceptor.listen(on: $0, length: length, ipv6: ipv6, backlog: 1024)
            }
        }
        guard let listening else {
            unmanaged.release()
            throw ServerError.startFailed(host: configuration.host, port: configuration.port)
        }
        // One single-threaded daemon per worker, none with a listening socket of its own: the
        // `Acceptor` hands each connection to the next daemon in turn (see there why). The limits are
        // shared out as libmicrohttpd's own thread pool shares them; a client's connections go round
        // the daemons too, so its per-address limit is split the same way.
        let flags = UInt32(MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
                           | MHD_USE_ITC.rawValue | MHD_USE_ERROR_LOG.rawValue | MHD_USE_NO_LISTEN_SOCKET.rawValue
                           | MHD_ALLOW_SUSPEND_RESUME.rawValue)
        let workers = max(1, configuration.threads)
        var daemons: [DaemonHandle] = []
        for _ in 0..<workers {
            guard let started = cmhd_start_daemon(
                flags, accessHandler, completedHandler, uriLogger, unmanaged.toOpaque(),
                UInt32(max(1, configuration.maxConnections / workers)),
                UInt32(max(1, (configuration.maxConnectionsPerIP + workers - 1) / workers)),
                UInt32(configuration.connectionTimeoutSeconds),
                configuration.maxHeaderBytes, configuration.strictForClient) else {
                daemons.forEach { MHD_stop_daemon($0.pointer) }
                close(listening.socket)
                unmanaged.release()
                throw ServerError.startFailed(host: configuration.host, port: configuration.port)
            }
            daemons.append(DaemonHandle(pointer: started))
        }
        self.context = context
        self.daemons = Mutex(daemons)
        self.acceptor = Acceptor(socket: listening.socket, daemons: daemons)
        self.port = listening.port
    }

    /// Requests being handled right now.
    public var inFlight: Int { context.inFlight.load(ordering: .relaxed) }

    /// Stops accepting connections, lets in-flight requests finish (up to `grace`), then stops.
    public func stop(grace: Duration = .seconds(10)) {
        let handles: [DaemonHandle] = daemons.withLock { d in
            let current = d
            d = []
            return current
        }
        guard !handles.isEmpty else { return }
        acceptor.stop()
        let deadline = ContinuousClock.now.advanced(by: grace)
        while context.inFlight.load(ordering: .acquiring) > 0 && ContinuousClock.now < deadline {
            usleep(5_000)
        }
        // A connection whose answer a write thread is making is suspended, and libmicrohttpd must not
        // be stopped with one suspended: that answer is always waited for.
        while context.suspended.load(ordering: .acquiring) > 0 { usleep(1_000) }
        handles.forEach { MHD_stop_daemon($0.pointer) }
        context.writers?.stop()
        Unmanaged.passUnretained(context).release()
    }

    deinit { stop(grace: .zero) }

    private static func fill(_ storage: inout sockaddr_storage, host: String, port: UInt16) -> Bool {
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return false }
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            let host = host == "localhost" ? "127.0.0.1" : host
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
            }
        }
        return true
    }
}

/// The daemon pointer. libmicrohttpd's daemon is thread-safe for the calls made on it (quiesce,
/// stop), and the `Mutex` around this handle makes sure only one caller ever stops it.
struct DaemonHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
