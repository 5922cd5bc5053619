import Admission
import CMicroHTTPD
import Foundation
import Logging
import Synchronization

/// What every libmicrohttpd callback reaches through its `cls` pointer. Immutable but for atomics.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let application: any HTTPApplication
    let logger: Logger
    let inFlight = Atomic<Int>(0)
    /// Connections suspended while a write thread makes their answer.
    let suspended = Atomic<Int>(0)
    /// The write threads (`ServerConfiguration.writeThreads`); nil: every answer made in place.
    let writers: WorkerPool?

    init(configuration: ServerConfiguration, application: any HTTPApplication, logger: Logger) {
        self.configuration = configuration
        self.application = application
        self.logger = logger
        let gate = configuration.writeCores > 0 ? CoreGate(width: configuration.writeCores) : nil
        writers = configuration.writeThreads > 0
            ? WorkerPool(threads: configuration.writeThreads, name: "bizing-write", gate: gate) : nil
    }

    /// Whether a request may change data (and so wait for the writer): answered on a write thread.
    static func answersOffThread(_ method: String) -> Bool {
        !(method == "GET" || method == "HEAD" || method == "OPTIONS")
    }

    static func from(_ cls: UnsafeMutableRawPointer?) -> ServerContext {
        Unmanaged<ServerContext>.fromOpaque(cls!).takeUnretainedValue()
    }
}

/// Per-request state, created by the URI logger (first thing libmicrohttpd calls for a request),
/// filled across the access-handler calls, released when the request completes.
/// Only ever touched by the one libmicrohttpd thread that owns the connection (a write thread gets
/// the finished `Request` and hands its answer back through a `Handoff`).
final class RequestBox {
    let rawTarget: String
    let receivedAt: UInt64
    var sawHeaders = false
    var headers = Headers()
    var body: [UInt8] = []
    var bodyTooLarge = false
    /// Set while a write thread makes the answer (the connection suspended); holds it when done.
    var handoff: Handoff?

    init(rawTarget: String) {
        self.rawTarget = rawTarget
        self.receivedAt = monotonicMicroseconds()
    }
}

/// An answer made on a write thread, for the libmicrohttpd thread that sends it after the resume.
final class Handoff: Sendable {
    private let answer = Mutex<(response: Response, request: Request)?>(nil)
    func put(_ response: Response, _ request: Request) { answer.withLock { $0 = (response, request) } }
    func take() -> (response: Response, request: Request)? { answer.withLock { value in defer { value = nil }; return value } }
}

/// A connection handed to a write thread: libmicrohttpd keeps it while it is suspended.
struct SuspendedConnection: @unchecked Sendable {
    let pointer: OpaquePointer
}

func monotonicMicroseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
}

// MARK: - C callbacks: nonisolated, capture nothing, reach Swift state through `cls`.

let uriLogger: cmhd_uri_logger = { cls, uri, _ in
    let context = ServerContext.from(cls)
    context.inFlight.add(1, ordering: .relaxed)
    let box = RequestBox(rawTarget: uri.map { String(cString: $0) } ?? "/")
    return Unmanaged.passRetained(box).toOpaque()
}

let completedHandler: cmhd_completed_handler = { cls, _, reqCls, _ in
    let context = ServerContext.from(cls)
    if let reqCls, let raw = reqCls.pointee {
        Unmanaged<RequestBox>.fromOpaque(raw).release()
        reqCls.pointee = nil
        context.inFlight.subtract(1, ordering: .releasing)
    }
}

let accessHandler: cmhd_access_handler = { cls, connection, _, method, _, uploadData, uploadSize, reqCls in
    guard let connection, let reqCls, let raw = reqCls.pointee else { return cmhd_no() }
    let context = ServerContext.from(cls)
    let box = Unmanaged<RequestBox>.fromOpaque(raw).takeUnretainedValue()
    let limit = context.configuration.maxBodyBytes

    if !box.sawHeaders {
        box.sawHeaders = true
        // Read and check the header block before any body: a request whose end this server and a
        // proxy could see differently is answered and its connection closed (request smuggling).
        let (headers, linesCleanlyEnded) = readHeaders(connection)
        box.headers = headers
        if let problem = RequestFraming.problem(in: headers.fields, linesCleanlyEnded: linesCleanlyEnded) {
            let method = method.map { String(cString: $0) } ?? "GET"
            return respondWithError(problem.status, box: box, method: method, connection: connection, context: context)
        }
        // Refuse an announced oversized body before reading any of it.
        if let lengthText = MHD_lookup_connection_value(connection, MHD_ValueKind.HEADER_KIND, "Content-Length"),
           let length = Int(String(cString: lengthText)), length > limit {
            let method = method.map { String(cString: $0) } ?? "GET"
            return respondWithError(.contentTooLarge, box: box, method: method, connection: connection, context: context)
        }
        return cmhd_yes()
    }
    if let uploadSize, uploadSize.pointee > 0 {
        let count = uploadSize.pointee
        if !box.bodyTooLarge, let uploadData {
            if box.body.count + count > limit {
                box.bodyTooLarge = true
                box.body = []
            } else {
                uploadData.withMemoryRebound(to: UInt8.self, capacity: count) { pointer in
                    box.body.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
                }
            }
        }
        uploadSize.pointee = 0
        return cmhd_yes()
    }
    // Last call: the whole request is here (or, resumed, its answer).
    if let handoff = box.handoff {
        guard let answer = handoff.take() else { return cmhd_yes() }   // called again before the answer: still waiting
        box.handoff = nil
        return respond(answer.response, box: box, request: answer.request, connection: connection, context: context)
    }
    let method = method.map { String(cString: $0) } ?? "GET"
    if box.bodyTooLarge {
        return respondWithError(.contentTooLarge, box: box, method: method, connection: connection, context: context)
    }
    let headers = box.headers
    let client = clientAddress(connection)
    var request: Request
    do {
        request = try Request(method: method, target: box.rawTarget, headers: headers, body: box.body, clientAddress: client)
    } catch {
        // Unreadable target: answer in the shape of its area (JSON under /api/, HTML elsewhere).
        let area = box.rawTarget.hasPrefix("/api/") ? "/api/" : "/"
        var fallback = Request(method: method, path: area, headers: headers, clientAddress: client)
        fallback.rawPath = area
        return respond(context.application.errorResponse(.badRequest, for: fallback), box: box, request: fallback,
                       connection: connection, context: context)
    }
    request.receivedAt = box.receivedAt
    if let writers = context.writers, ServerContext.answersOffThread(method) {
        // Suspended until a write thread has the answer; libmicrohttpd then calls again (above).
        let handoff = Handoff(), suspended = SuspendedConnection(pointer: connection), received = request
        box.handoff = handoff
        context.suspended.add(1, ordering: .relaxed)
        MHD_suspend_connection(connection)
        writers.submit {
            handoff.put(context.application.respond(to: received), received)
            MHD_resume_connection(suspended.pointer)
            context.suspended.subtract(1, ordering: .releasing)
        }
        return cmhd_yes()
    }
    let response = context.application.respond(to: request)
    return respond(response, box: box, request: request, connection: connection, context: context)
}

private func respondWithError(_ status: HTTPStatus, box: RequestBox, method: String,
                              connection: OpaquePointer, context: ServerContext) -> MHD_Result {
    let path = String(box.rawTarget.split(separator: "?", maxSplits: 1).first ?? "/")
    let request = Request(method: method, path: path, rawPath: path)
    var response = context.application.errorResponse(status, for: request)
    response.headers.set("Connection", "close")
    return respond(response, box: box, request: request, connection: connection, context: context)
}

private func respond(_ response: Response, box: RequestBox, request: Request,
                     connection: OpaquePointer, context: ServerContext) -> MHD_Result {
    var response = response
    SecurityHeaders.apply(to: &response)
    let mhdResponse = response.body.withUnsafeBytes { bytes in
        MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                        MHD_ResponseMemoryMode.RESPMEM_MUST_COPY)
    }
    guard let mhdResponse else { return cmhd_no() }
    for field in response.headers {
        // withCString borrows a native string's bytes; passing the String directly copies them.
        _ = field.name.withCString { name in field.value.withCString { value in MHD_add_response_header(mhdResponse, name, value) } }
    }
    let result = MHD_queue_response(connection, UInt32(response.status.code), mhdResponse)
    MHD_destroy_response(mhdResponse)
    let micros = monotonicMicroseconds() &- box.receivedAt
    context.logger.info("\(request.method) \(request.rawPath) \(response.status.code) \(response.body.count)B \(micros)us")
    return result
}

/// The request's header fields, and whether every field line ended with CRLF and held no NUL.
/// libmicrohttpd 0.9.75 parses the header block in place: it writes NUL over a line's CR and LF, and
/// its C strings stop at a NUL inside a value. So the byte after a value's terminating NUL is NUL
/// only for a CRLF line; for a bare-LF line or a value cut at an embedded NUL it is the next byte of
/// the request. (Newer libmicrohttpd refuses these itself, with `MHD_OPTION_CLIENT_DISCIPLINE_LVL`.)
private func readHeaders(_ connection: OpaquePointer) -> (Headers, linesCleanlyEnded: Bool) {
    struct Scan { var fields: [HeaderField] = []; var clean = true }
    var scan = Scan()
    scan.fields.reserveCapacity(8)
    withUnsafeMutablePointer(to: &scan) { pointer in
        _ = MHD_get_connection_values_n(connection, MHD_ValueKind.HEADER_KIND, { cls, _, key, _, value, valueSize in
            let scan = cls!.assumingMemoryBound(to: Scan.self)
            guard let key else { return cmhd_yes() }
            if let value {
                if value[valueSize + 1] != 0 { scan.pointee.clean = false }
                scan.pointee.fields.append(HeaderField(String(cString: key), String(cString: value)))
            } else {
                scan.pointee.fields.append(HeaderField(String(cString: key), ""))
            }
            return cmhd_yes()
        }, pointer)
    }
    return (Headers(fields: scan.fields), scan.clean)
}

private func clientAddress(_ connection: OpaquePointer) -> String {
    guard let address = cmhd_client_address(connection) else { return "" }
    switch Int32(address.pointee.sa_family) {
    case AF_INET:
        // Dotted quad by hand: inet_ntop goes through sprintf, which showed up in every request's profile.
        let bits = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
        return dottedQuad(bits)
    case AF_INET6:
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
            var addr = v6.pointee.sin6_addr
            return inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count)).map { String(cString: $0) } ?? ""
        }
    default:
        return ""
    }
}

/// "a.b.c.d" for an IPv4 address in host byte order.
func dottedQuad(_ address: UInt32) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { buffer in
        var count = 0
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { buffer[count] = UInt8(ascii: "."); count += 1 }
            let octet = UInt8(truncatingIfNeeded: address >> UInt32(shift))
            if octet >= 100 { buffer[count] = 48 + octet / 100; count += 1 }
            if octet >= 10 { buffer[count] = 48 + octet / 10 % 10; count += 1 }
            buffer[count] = 48 + octet % 10; count += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<count]), as: UTF8.self)
    }
}
