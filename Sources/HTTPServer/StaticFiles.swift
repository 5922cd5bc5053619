import Foundation

/// Files of one directory, read once at start-up and served from memory with an ETag.
/// Only files that existed under the directory at start-up can be served, so no request path can
/// reach outside it (no `..`, no symlink escapes: symlinks are skipped when loading).
public struct StaticFiles: Sendable {
    struct File: Sendable {
        let bytes: [UInt8]
        let contentType: String
        let etag: String
    }

    private let files: [String: File]
    public let directory: String

    public init(directory: String) throws {
        self.directory = directory
        var files: [String: File] = [:]
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey]) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values.isRegularFile == true, values.isSymbolicLink != true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count)).trimmingPrefix("/")
            let bytes = Array(try Data(contentsOf: url))
            let digest = String(Self.fnv1a(bytes), radix: 16)
            files[String(relative)] = File(bytes: bytes, contentType: Self.contentType(for: url.pathExtension),
                                           etag: "\"\(digest)\"")
        }
        self.files = files
    }

    /// The response for `relativePath` (already percent-decoded), honouring `If-None-Match`.
    public func response(for relativePath: String, request: Request) -> Response? {
        guard let file = files[relativePath] else { return nil }
        var headers = Headers([
            ("Content-Type", file.contentType),
            ("ETag", file.etag),
            ("Cache-Control", "public, max-age=3600"),
        ])
        if request.ifNoneMatch(file.etag) {
            headers.set("Content-Type", file.contentType)
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: file.bytes)
    }

    /// FNV-1a 64: a content fingerprint for the ETag (not a security measure).
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    public var paths: [String] { files.keys.sorted() }

    static func contentType(for pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        case "txt": "text/plain; charset=utf-8"
        case "html": "text/html; charset=utf-8"
        case "webmanifest": "application/manifest+json"
        default: "application/octet-stream"
        }
    }
}
