internal import CCurl
import Synchronization

/// SMTP through libcurl: smtp:// (STARTTLS when offered: CURLUSESSL_TRY), smtps://, AUTH when the URL
/// has user:pass (percent-decoded), connect timeout 10 s, whole-transfer timeout (default 30 s).
/// Envelope: MAIL FROM = message.from.email, RCPT TO = each of message.to.
///
/// Safe to call from several threads: each `send` takes an easy handle of its own from a small pool
/// and gives it back afterwards, so the next message on that handle reuses its open SMTP connection
/// (curl sends RSET/MAIL FROM on the live connection instead of connecting and greeting again).
/// A handle whose transfer failed is discarded with its connection.
public final class SMTPTransport: MailTransport {
    private let url: CurlURL
    private let timeoutSeconds: Int
    private let idle = Mutex<[CurlEasy]>([])
    private static let maxIdleHandles = 8

    private let caCertificatesFile: String?

    public convenience init(url: String, timeoutSeconds: Int = 30) throws(OutboundError) {
        try self.init(url: url, timeoutSeconds: timeoutSeconds, caCertificatesFile: nil)
    }

    /// - Parameter caCertificatesFile: a PEM bundle to verify the server's certificate against instead
    ///   of the system's (a private CA, or a test server's self-signed certificate).
    public init(url: String, timeoutSeconds: Int = 30, caCertificatesFile: String?) throws(OutboundError) {
        self.caCertificatesFile = caCertificatesFile
        let parsed = try CurlURL(url)
        guard parsed.scheme == "smtp" || parsed.scheme == "smtps" else {
            throw .invalidURL("\"\(parsed.withoutCredentials)\" is not an smtp:// or smtps:// URL")
        }
        guard timeoutSeconds > 0 else { throw .invalidURL("the SMTP timeout must be at least 1 second") }
        self.url = parsed
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ message: MailMessage) throws(OutboundError) {
        guard message.from.isValid else {
            throw .permanent(code: 0, message: "invalid sender address \"\(message.from.email.prefix(254))\"")
        }
        guard !message.to.isEmpty else { throw .permanent(code: 0, message: "the message has no recipient") }
        if let bad = message.to.first(where: { !$0.isValid }) {
            throw .permanent(code: 0, message: "invalid recipient address \"\(bad.email.prefix(254))\"")
        }
        let source = ReadSource(message.rendered())
        let easy = try takeHandle()
        let recipients = CurlList(message.to.map { "<\($0.email)>" })
        easy.set(CURLOPT_MAIL_FROM, "<\(message.from.email)>")
        easy.set(CURLOPT_MAIL_RCPT, recipients)
        easy.set(CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque())
        let result = withExtendedLifetime((source, recipients)) { easy.perform() }
        easy.set(CURLOPT_MAIL_RCPT, nil)
        easy.set(CURLOPT_READDATA, nil)
        guard result.code != CURLE_OK else {
            giveBack(easy)
            return
        }
        throw Self.error(code: result.code, smtpCode: easy.responseCode, message: result.message)
    }

    /// 5xx → permanent, except authentication required or refused (530, 535: the configuration is
    /// wrong, not the message, so it waits for a fix); 4xx, connection failures, timeouts and TLS
    /// errors → transient.
    static func error(code: CURLcode, smtpCode: Int, message: String) -> OutboundError {
        if code == CURLE_LOGIN_DENIED || smtpCode == 530 || smtpCode == 535 {
            return .transient(code: smtpCode == 0 ? nil : smtpCode, message: message)
        }
        if (500...599).contains(smtpCode) { return .permanent(code: smtpCode, message: message) }
        return .transient(code: smtpCode == 0 ? nil : smtpCode, message: message)
    }

    private func takeHandle() throws(OutboundError) -> CurlEasy {
        if let easy = idle.withLock({ $0.popLast() }) { return easy }
        guard let easy = CurlEasy() else { throw .transient(code: nil, message: "curl could not allocate a handle") }
        easy.set(CURLOPT_URL, url.withoutCredentials)
        easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        if url.scheme == "smtp" { easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue)) }
        if let user = url.user, !user.isEmpty {
            easy.set(CURLOPT_USERNAME, user)
            easy.set(CURLOPT_PASSWORD, url.password ?? "")
        }
        if let caCertificatesFile { easy.set(CURLOPT_CAINFO, caCertificatesFile) }
        easy.set(CURLOPT_CONNECTTIMEOUT, min(10, timeoutSeconds))
        easy.set(CURLOPT_TIMEOUT, timeoutSeconds)
        // Curl waits up to 120 s for a server reply (after DATA, too) regardless of CURLOPT_TIMEOUT.
        easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, timeoutSeconds)
        easy.set(CURLOPT_UPLOAD, 1)
        easy.set(CURLOPT_READFUNCTION, callback: { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            return Unmanaged<ReadSource>.fromOpaque(context).takeUnretainedValue().read(into: buffer, max: size * count)
        })
        return easy
    }

    private func giveBack(_ easy: CurlEasy) {
        idle.withLock { handles in
            if handles.count < Self.maxIdleHandles { handles.append(easy) }
        }
    }
}

/// The rendered message fed to curl's read callback.
final class ReadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutablePointer<CChar>, max: Int) -> Int {
        let count = min(max, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
