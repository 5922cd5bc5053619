public import BookingCore

/// A business as the rest of the app sees it.
public struct Business: Sendable, Hashable {
    public let id: BusinessID
    public let slug: String
    public let name: String
    public let timeZone: String
    public let currency: String
    public let description: String
    public let status: String
}

public struct ResourceInfo: Sendable, Hashable {
    public let id: ResourceID
    public let slug: String
    public let name: String
    public let kind: ResourceKind
    public let capacity: Int
    public let tags: [String]
}

/// An offer with the version customers book now (its latest published version).
public struct OfferInfo: Sendable, Hashable {
    public let id: OfferID
    public let slug: String
    public let name: String
    public let description: String
    public let mode: OfferMode
    public let status: OfferStatus
    public let sensitive: Bool
    public let versionID: OfferVersionID
    public let version: Int
    public let spec: OfferVersionSpec
}

/// Why a catalog write was refused.
public enum CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    case slugTaken(String)
    case notFound(String)
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .slugTaken(let slug): "the name \(slug) is already taken"
        case .notFound(let what): "\(what) was not found"
        case .invalid(let field, let message): "\(field): \(message)"
        }
    }
}

extension OfferInfo {
    /// This offer with its minimum notice waived: the starts staff may book for a walk-in.
    public func waiving(_ waiver: NoticeWaiver) -> OfferInfo {
        OfferInfo(id: id, slug: slug, name: name, description: description, mode: mode, status: status, sensitive: sensitive,
                  versionID: versionID, version: version, spec: waiver.apply(to: spec))
    }
}
