/// The owner's choice of how "any host" picks when the customer picks no one, and the priority
/// order they arrange with up/down buttons. Pure: Store keeps the order, Web shows the buttons.
extension AssignmentStrategy {
    /// The stable code stored and posted by forms.
    public var code: String {
        switch self {
        case .leastRecentlyBooked: "least_recently_booked"
        case .priority: "priority"
        }
    }

    /// The strategy a stored code and order describe (an unknown code: least recently booked).
    public init(code: String, order: [ResourceID]) {
        self = code == "priority" ? .priority(order) : .leastRecentlyBooked
    }

    /// The full priority order over `resources` (in their listing order): the stored order's
    /// resources that still exist first, as arranged, then every other resource in listing order.
    /// Duplicates in `stored` count once, at their first place.
    public static func completeOrder(_ stored: [ResourceID], among resources: [ResourceID]) -> [ResourceID] {
        let present = Set(resources)
        var seen: Set<ResourceID> = []
        var order: [ResourceID] = []
        for id in stored where present.contains(id) && seen.insert(id).inserted { order.append(id) }
        for id in resources where seen.insert(id).inserted { order.append(id) }
        return order
    }

    /// Which way an up/down button moves a resource.
    public enum Move: String, Sendable, Hashable {
        case up, down
    }

    /// `order` with `id` swapped with its neighbour above (`up`) or below (`down`); unchanged when
    /// it is already first (up) or last (down), or not in the order.
    public static func moving(_ id: ResourceID, _ move: Move, in order: [ResourceID]) -> [ResourceID] {
        guard let index = order.firstIndex(of: id) else { return order }
        let other = move == .up ? index - 1 : index + 1
        guard order.indices.contains(other) else { return order }
        var moved = order
        moved.swapAt(index, other)
        return moved
    }
}
