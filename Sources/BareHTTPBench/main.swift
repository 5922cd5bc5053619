// A bare libmicrohttpd handler answering every request with the same bytes as `/healthz`, with the
// same daemon flags as the real server: the ceiling the routed server is measured against.
// Usage: BareHTTPBench [port] [threads]
import CMicroHTTPD
import Foundation

let arguments = CommandLine.arguments
let port = UInt16(arguments.count > 1 ? arguments[1] : "18081") ?? 18081
let threads = UInt32(arguments.count > 2 ? arguments[2] : "") ?? UInt32(ProcessInfo.processInfo.activeProcessorCount)

let handler: cmhd_access_handler = { _, connection, _, _, _, _, _, reqCls in
    guard let reqCls else { return cmhd_no() }
    if reqCls.pointee == nil {
        reqCls.pointee = UnsafeMutableRawPointer(bitPattern: 1)   // first call: headers only
        return cmhd_yes()
    }
    let body = #"{"database":"ok","status":"ok"}"#
    let response = body.withCString { pointer in
        MHD_create_response_from_buffer(strlen(pointer), UnsafeMutableRawPointer(mutating: pointer),
                                        MHD_ResponseMemoryMode.RESPMEM_MUST_COPY)
    }
    MHD_add_response_header(response, "Content-Type", "application/json")
    let result = MHD_queue_response(connection, 200, response)
    MHD_destroy_response(response)
    return result
}

let flags = UInt32(MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue | MHD_USE_ITC.rawValue)
guard cmhd_start_bare(flags, port, handler, nil, threads) != nil else {
    FileHandle.standardError.write(Data("could not listen on \(port)\n".utf8))
    exit(1)
}
FileHandle.standardOutput.write(Data("bare libmicrohttpd listening on http://127.0.0.1:\(port)\n".utf8))
signal(SIGPIPE, SIG_IGN)
while true { pause() }
