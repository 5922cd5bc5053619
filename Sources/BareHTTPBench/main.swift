// A bare libmicrohttpd handler answering every request with the same bytes as `/healthz`, with the
// same daemon flags as the real server: the ceiling the routed server is measured against.
// Usage: BareHTTPBench [port] [threads]
// The C handler lives in Handler.swift: a closure formed here, in top-level code, would be
// MainActor-isolated and trap when a libmicrohttpd thread calls it.
import CMicroHTTPD
import Foundation

let arguments = CommandLine.arguments
let port = UInt16(arguments.count > 1 ? arguments[1] : "18081") ?? 18081
let threads = UInt32(arguments.count > 2 ? arguments[2] : "") ?? UInt32(ProcessInfo.processInfo.activeProcessorCount)

let flags = UInt32(MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue | MHD_USE_ITC.rawValue)
guard cmhd_start_bare(flags, port, handler, nil, threads) != nil else {
    FileHandle.standardError.write(Data("could not listen on \(port)\n".utf8))
    exit(1)
}
FileHandle.standardOutput.write(Data("bare libmicrohttpd listening on http://127.0.0.1:\(port)\n".utf8))
signal(SIGPIPE, SIG_IGN)
while true { pause() }
