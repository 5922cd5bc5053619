public import BookingCore
import Foundation
import GRDB

/// A business's field-visibility policy (table `field_visibility`): overrides of the defaults of
/// `VisibilityPolicy`. The decision itself stays in `BookingCore.Masking`.
public enum FieldVisibilityStore {
    /// Roles whose visibility an owner may change; the owner always sees everything.
    public static let editableRoles: [Role] = [.admin, .manager, .staff, .provider]

    static func policy(_ db: Database, businessID: BusinessID) throws -> VisibilityPolicy {
        var overrides: [Role: [CustomerField: Visibility]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT role, field, visibility FROM field_visibility WHERE business_id = ?",
                                    arguments: [businessID]) {
            guard let role = Role(rawValue: row["role"]), let field = CustomerField(rawValue: row["field"]),
                  let visibility = Visibility(rawValue: row["visibility"]) else { continue }
            overrides[role, default: [:]][field] = visibility
        }
        return VisibilityPolicy(overrides: overrides)
    }

    /// Replaces the overrides of the editable roles with `policy`'s: a value equal to the default
    /// is stored as no row. Audited as `policy.field_visibility` with the changed cells.
    static func save(_ db: Database, businessID: BusinessID, policy: VisibilityPolicy, actor: String, now: Int64) throws {
        let before = try self.policy(db, businessID: businessID)
        var changes: [String: String] = [:]
        for role in editableRoles {
            for field in CustomerField.allCases {
                let wanted = policy.visibility(role, field)
                if wanted != before.visibility(role, field) { changes["\(role.rawValue).\(field.rawValue)"] = wanted.rawValue }
                if wanted == VisibilityPolicy.defaultVisibility(role, field) {
                    try db.execute(sql: "DELETE FROM field_visibility WHERE business_id = ? AND role = ? AND field = ?",
                                   arguments: [businessID, role.rawValue, field.rawValue])
                } else {
                    try db.execute(sql: """
                        INSERT INTO field_visibility (business_id, role, field, visibility, updated_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (business_id, role, field) DO UPDATE SET visibility = excluded.visibility, updated_at = excluded.updated_at
                        """, arguments: [businessID, role.rawValue, field.rawValue, wanted.rawValue, now])
                }
            }
        }
        guard !changes.isEmpty else { return }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "policy.field_visibility",
                            subject: "business:\(businessID)", details: changes)
    }
}
