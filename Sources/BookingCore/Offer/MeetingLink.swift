import Foundation  // trimming only.

/// A virtual resource's meeting link (a video call address). It is a key to the meeting, so it is
/// given only to people with a booking: never on public pages or in availability, and only once the
/// booking is confirmed (not while held or waiting for approval, not after a cancellation).
public enum MeetingLink {
    public static let maxLength = 500

    /// Whether a booking in `status` may see its meeting links.
    public static func isRevealed(to status: BookingStatus) -> Bool {
        switch status {
        case .confirmed, .checkedIn, .completed: true
        case .held, .pending, .cancelled, .noShow, .expired: false
        }
    }

    /// The link as stored: trimmed, `https://` with a host, no spaces or control characters, at
    /// most `maxLength` characters; nil when it is not such a link.
    public static func normalized(_ text: String) -> String? {
        let link = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard link.count <= maxLength, link.lowercased().hasPrefix("https://"),
              !link.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || "\"<>\\^`{|}".unicodeScalars.contains($0) })
        else { return nil }
        let rest = link.dropFirst("https://".count)
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, !host.contains("@"), host.contains(".") else { return nil }
        return link
    }
}
