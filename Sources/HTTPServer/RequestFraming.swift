/// Why a request's header block is refused before routing. These are the request-smuggling cases:
/// a proxy in front and this server must never disagree about where a request ends.
/// libmicrohttpd 0.9.75 accepts all of them, so the server checks them itself, on the first call
/// for a request (headers read, body not yet), answers, and closes the connection.
public enum FramingProblem: Equatable, Sendable {
    /// `Content-Length` and `Transfer-Encoding` together (RFC 9112 §6.1).
    case contentLengthWithTransferEncoding
    /// Two `Content-Length` values that differ, or one that is not a decimal number.
    case invalidContentLength
    /// A `Transfer-Encoding` other than exactly `chunked`: the server cannot find the body's end.
    case unsupportedTransferEncoding
    /// Whitespace between a field name and its colon (RFC 9112 §5.1 says: 400).
    case whitespaceInFieldName
    /// A NUL, CR or LF inside a field value, or a line not ended by CRLF.
    case controlCharacterInField

    /// 501 for a coding the server does not implement, 400 for the rest.
    public var status: HTTPStatus {
        self == .unsupportedTransferEncoding ? .notImplemented : .badRequest
    }
}

public enum RequestFraming {
    /// The first problem in `fields`, or nil when the header block is sound.
    /// `linesCleanlyEnded` is false when a field line ended with a bare LF or held a NUL (the server
    /// learns this from libmicrohttpd's buffer; see `ServerContext.readHeaders`).
    public static func problem(in fields: [HeaderField], linesCleanlyEnded: Bool = true) -> FramingProblem? {
        guard linesCleanlyEnded else { return .controlCharacterInField }
        var contentLength: Substring?
        var transferEncodings: [Substring] = []
        for field in fields {
            for byte in field.name.utf8 where byte == 0x20 || byte == 0x09 { return .whitespaceInFieldName }
            for byte in field.value.utf8 where byte == 0 || byte == 0x0D || byte == 0x0A { return .controlCharacterInField }
            if field.name.caseInsensitiveEquals("Content-Length") {
                // A list ("5, 5") is allowed by RFC 9110 only when every member is the same number.
                for member in field.value.split(separator: ",", omittingEmptySubsequences: false) {
                    let number = member.trimmingWhitespace()
                    guard !number.isEmpty, number.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .invalidContentLength }
                    if let seen = contentLength, seen != number { return .invalidContentLength }
                    contentLength = number
                }
            } else if field.name.caseInsensitiveEquals("Transfer-Encoding") {
                for coding in field.value.split(separator: ",", omittingEmptySubsequences: false) {
                    transferEncodings.append(coding.trimmingWhitespace())
                }
            }
        }
        if !transferEncodings.isEmpty {
            if contentLength != nil { return .contentLengthWithTransferEncoding }
            guard transferEncodings.count == 1, String(transferEncodings[0]).caseInsensitiveEquals("chunked") else {
                return .unsupportedTransferEncoding
            }
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
