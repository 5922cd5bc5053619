/// Typed identifiers: one small struct per kind of row, so a business id can never be passed where an
/// offer id is expected. Each wraps the row's `INTEGER PRIMARY KEY` and costs nothing at run time (a
/// single `Int64` field; every member below is `@inlinable`, so calls specialize and inline).
///
/// - Encodes and decodes as the bare number (`"id": 12`, never `{"rawValue": 12}`).
/// - Prints as the bare number (`description`), so URLs, templates and logs read as before.
/// - `init?(_ text:)` parses a path or form value at the edge (`OfferID(segment)`), once.
/// - An integer literal is accepted (`let id: OfferID = 3`) for tests and fixtures; a *variable* of
///   another id type never is.
///
/// Store makes them `DatabaseValueConvertible` (Store/Identifiers+GRDB.swift) so they bind in SQL
/// arguments and decode from rows directly; BookingCore itself knows nothing of the database.
public protocol Identifier: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible,
    LosslessStringConvertible, ExpressibleByIntegerLiteral where RawValue == Int64 {
    init(rawValue: Int64)
}

extension Identifier {
    @inlinable public init?(_ description: String) {
        guard let value = Int64(description) else { return nil }
        self.init(rawValue: value)
    }

    @inlinable public init(integerLiteral value: Int64) { self.init(rawValue: value) }

    @inlinable public var description: String { String(rawValue) }

    @inlinable public static func == (a: Self, b: Self) -> Bool { a.rawValue == b.rawValue }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    @inlinable public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(Int64.self))
    }

    @inlinable public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A business (`businesses.id`).
public struct BusinessID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// An offer (`offers.id`): what customers book, across all its versions.
public struct OfferID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// One published or draft version of an offer (`offer_versions.id`).
public struct OfferVersionID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A host, room or piece of equipment (`resources.id`).
public struct ResourceID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A business location (`locations.id`).
public struct LocationID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A person who can sign in (`users.id`).
public struct UserID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A booking (`booking_orders.id`). Named `BookingID`, not `OrderID`, for the word the pages, the API
/// (`/api/v1/bookings/…`), the issues and the other features use; the table is `booking_orders` (an
/// order with its fulfillment units and assignments), and the SQL and the `orderID:` parameter labels
/// keep that name, so only the type changed. The customer-facing string id stays `publicID: String`.
public struct BookingID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// An API key (`api_keys.id`); never the secret itself.
public struct APIKeyID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A user's role in one business (`memberships.id`).
public struct MembershipID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// Someone a user books for (`household_members.id`).
public struct HouseholdMemberID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A signed-in or anonymous session (`sessions.id`); never its token.
public struct SessionID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// An invitation to join a business's team (`invitations.id`); never its token.
public struct InvitationID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A calendar subscription feed (`calendar_feeds.id`); never its token.
public struct CalendarFeedID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A business's record of one person who books (`customers.id`), matched by email.
public struct CustomerID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A package a business sells: N credits for named offers (`packages.id`).
public struct PackageID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// One purchase of a package by a customer: a lot of credits with its expiry (`entitlements.id`).
public struct EntitlementID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A walk-in queue (`queues.id`).
public struct QueueID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A customer's place in a queue (`queue_tickets.id`); customers know it by its public id.
public struct QueueTicketID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// Units of a resource taken out of service (`maintenance_flags.id`).
public struct MaintenanceFlagID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A course of a program (`program_runs.id`); customers and the API know it by its public id.
public struct ProgramRunID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// One dated session of a program's run (`program_sessions.id`).
public struct ProgramSessionID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}
