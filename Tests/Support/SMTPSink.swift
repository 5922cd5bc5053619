import Foundation

/// A real SMTP server for tests: aiosmtpd (Tests/services/smtp_sink.py) on a free loopback port,
/// recording every accepted message. Needs scripts/test-venv.sh to have run.
public final class SMTPSink: @unchecked Sendable {   // see ServiceProcess
    public enum TLSMode: String, Sendable { case starttls, implicit }

    private let service: ServiceProcess
    private let implicitTLS: Bool

    /// - Parameters:
    ///   - rejectRecipients: a Python regular expression; matching RCPT TO addresses get 550.
    ///   - stallInData: never answer the end of DATA (a sender hangs until its timeout or is killed).
    ///   - auth: offer AUTH (without TLS) and require these credentials.
    ///   - parse: have Python's `email` parse each message (`headers`, `parts`, `defects`); off for
    ///     throughput measurements, where the parsing would be what is measured.
    ///   - tls: offer STARTTLS, or speak TLS from the start (`smtps`), with a self-signed certificate
    ///     for 127.0.0.1 at `certificatePath`.
    public init(rejectRecipients: String? = nil, stallInData: Bool = false,
                auth: (user: String, password: String)? = nil, parse: Bool = true, tls: TLSMode? = nil) {
        var arguments: [String] = []
        if let rejectRecipients { arguments += ["--reject", rejectRecipients] }
        if stallInData { arguments.append("--stall") }
        if let auth { arguments += ["--auth", "\(auth.user):\(auth.password)"] }
        if !parse { arguments.append("--no-parse") }
        if let tls { arguments += ["--tls", tls.rawValue] }
        implicitTLS = tls == .implicit
        service = ServiceProcess(script: "smtp_sink.py", arguments: arguments)
    }

    public func start() throws { try service.start() }
    public func stop() { service.stop() }
    public var port: Int { service.port }
    public var pid: Int32? { service.pid }
    /// `smtp://127.0.0.1:PORT`, or `smtps://…` when the sink speaks TLS from the start.
    public var url: String { "\(implicitTLS ? "smtps" : "smtp")://127.0.0.1:\(port)" }
    /// The sink's self-signed certificate (PEM), when it has TLS.
    public var certificatePath: String { service.directory.appendingPathComponent("cert.pem").path }

    /// Every message accepted so far, in order of arrival.
    public func messages() -> [ReceivedMail] {
        service.records().map { name, json in
            let raw = FileManager.default.contents(atPath: service.directory.appendingPathComponent(name + ".eml").path)
            return ReceivedMail(json: json, raw: raw.map { [UInt8]($0) } ?? [])
        }
    }

    /// Waits until at least `count` messages arrived (or `timeout` seconds passed) and returns them all.
    @discardableResult
    public func waitForMessages(count: Int, timeout: Double = 5) -> [ReceivedMail] {
        service.wait(until: count, timeout: timeout) { service.records().count }
        return messages()
    }
}

/// One message as the sink received it, and as Python's `email` package parsed it.
public struct ReceivedMail: Sendable {
    public struct Part: Sendable {
        public let contentType: String
        public let isMultipart: Bool
        public let boundary: String?
        public let filename: String?
        public let charset: String?
        public let params: [String: String]
        public let transferEncoding: String?
        /// The decoded payload (after quoted-printable or base64).
        public let payload: [UInt8]
        public var text: String { String(decoding: payload, as: UTF8.self) }
    }

    public let mailFrom: String
    public let recipients: [String]
    public let authLogin: String?
    /// The client's port: messages with the same one came over the same connection.
    public let peerPort: Int
    /// Whether the message came over TLS (STARTTLS or smtps).
    public let tls: Bool
    public let raw: [UInt8]
    /// Header fields as Python decodes them (encoded words decoded, folding undone).
    public let headers: [(name: String, value: String)]
    public let parts: [Part]
    /// Python's `email` defect class names; empty for a well-formed message.
    public let defects: [String]
    public let parseError: String?

    public var rawText: String { String(decoding: raw, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    init(json: [String: Any], raw: [UInt8]) {
        mailFrom = json["mail_from"] as? String ?? ""
        recipients = json["rcpt_tos"] as? [String] ?? []
        authLogin = json["auth_login"] as? String
        peerPort = json["peer_port"] as? Int ?? 0
        tls = json["tls"] as? Bool ?? false
        self.raw = raw
        parseError = json["parse_error"] as? String
        let parsed = json["parsed"] as? [String: Any] ?? [:]
        headers = (parsed["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
        defects = parsed["defects"] as? [String] ?? []
        parts = (parsed["parts"] as? [[String: Any]] ?? []).map { part in
            Part(contentType: part["content_type"] as? String ?? "",
                 isMultipart: part["multipart"] as? Bool ?? false,
                 boundary: part["boundary"] as? String,
                 filename: part["filename"] as? String,
                 charset: part["charset"] as? String,
                 params: part["params"] as? [String: String] ?? [:],
                 transferEncoding: part["transfer_encoding"] as? String,
                 payload: (part["payload_base64"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? [])
        }
    }
}
