import CMicroHTTPD
import Foundation

/// Answers every request with the bytes of `/healthz`. Nonisolated: defined outside main.swift.
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
