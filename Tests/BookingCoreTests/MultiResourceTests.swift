import BookingCore
import Testing

/// Offers needing several resources at once, optional components and capacity.
struct MultiResourceTests {
    let monday = "2026-03-02"
    func at(_ time: String) -> Instant { F.t("2026-03-02T\(time):00Z") }
    let treatment = F.spec(minutes: 60, interval: 60, components: [F.anyHost, F.anyRoom])

    @Test func needsAHostAndARoomFreeAtTheSameTime() {
        let host = F.resource(1, busy: [F.busy(at("14:00"), minutes: 60)])
        let room = F.resource(10, .venue, busy: [F.busy(at("15:00"), minutes: 60)])
        let e = AvailabilityEngine(query: F.query(treatment, [host, room]), from: F.d(monday), to: F.d(monday))
        let starts = e.slots().map(\.start)
        #expect(!starts.contains(at("14:00")) && !starts.contains(at("15:00")))
        #expect(starts.first == at("16:00"))
        #expect(e.explain(start: at("15:00")) == [.taken])
        #expect(e.slots().first?.assignments == [ComponentAssignment(role: "host", resourceIDs: [1]),
                                                 ComponentAssignment(role: "room", resourceIDs: [10])])
    }

    @Test func picksAnotherRoomWhenOneIsTaken() {
        let rooms = [F.resource(10, .venue, busy: [F.busy(at("14:00"), minutes: 60)]), F.resource(11, .venue)]
        let slot = F.slots(F.query(treatment, [F.resource(1)] + rooms), monday).first
        #expect(slot?.start == at("14:00"))
        #expect(slot?.assignments.last?.resourceIDs == [11])
        #expect(slot?.seatsLeft == 1)
    }

    @Test func aRoomIsNeverSharedBeyondCapacity() {
        let busy = [F.busy(at("14:00"), minutes: 60), F.busy(at("14:00"), minutes: 30)]
        let room = F.resource(10, .venue, busy: busy, capacity: 2)
        let hosts = (1...3).map { F.resource(ResourceID(rawValue: Int64($0))) }
        let e = AvailabilityEngine(query: F.query(treatment, hosts + [room]), from: F.d(monday), to: F.d(monday))
        #expect(e.explain(start: at("14:00")) == [.taken])
        #expect(e.check(start: at("15:00")).slot?.seatsLeft == 2)
        // Two bookings in the room that never overlap each other leave room for one more.
        let staggered = F.resource(10, .venue, busy: [F.busy(at("14:00"), minutes: 30),
                                                      F.busy(at("14:30"), minutes: 30)], capacity: 2)
        let s = AvailabilityEngine(query: F.query(treatment, hosts + [staggered]), from: F.d(monday), to: F.d(monday))
        #expect(s.check(start: at("14:00")).slot?.seatsLeft == 1)
    }

    @Test func componentsNeverShareOneResource() {
        let twoHosts = F.spec(components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), count: 2, role: "hosts")])
        #expect(F.slots(F.query(twoHosts, [F.resource(1)]), monday).isEmpty)
        let slot = F.slots(F.query(twoHosts, [F.resource(1), F.resource(2)]), monday).first
        #expect(slot?.resourceIDs.sorted() == [1, 2])
        let specificAndAny = F.spec(components: [F.anyHost, OfferComponent(selector: .resource(1), role: "lead")])
        let q = F.query(specificAndAny, [F.resource(1), F.resource(2)])
        #expect(F.slots(q, monday).first?.assignments.map(\.resourceIDs) == [[2], [1]])
        let e = AvailabilityEngine(query: F.query(specificAndAny, [F.resource(1)]), from: F.d(monday), to: F.d(monday))
        #expect(e.explain(start: at("14:00")) == [.noQualifiedResource])
    }

    @Test func optionalComponentsAreFilledWhenPossibleAndNeverBlock() {
        let spec = F.spec(components: [F.anyHost, OfferComponent(selector: .anyOf(kind: .asset, tag: "laser"),
                                                                  role: "laser", required: false)])
        let laser = F.resource(20, .asset, busy: [F.busy(at("14:00"), minutes: 30)], tags: ["laser"])
        let slots = F.slots(F.query(spec, [F.resource(1), laser]), monday)
        #expect(slots.count == 16)
        #expect(slots[0].assignments.map(\.role) == ["host"])
        #expect(slots[1].assignments.map(\.role) == ["host", "laser"])
    }

    @Test func tagsRestrictWhichResourcesQualify() {
        let spec = F.spec(components: [OfferComponent(selector: .anyOf(kind: .host, tag: "massage"), role: "host")])
        let slots = F.slots(F.query(spec, [F.resource(1), F.resource(2, tags: ["massage"])]), monday)
        #expect(slots.allSatisfy { $0.resourceIDs == [2] } && !slots.isEmpty)
        #expect(F.slots(F.query(spec, [F.resource(1)]), monday).isEmpty)
    }

    @Test func aRequestedHostIsTheOnlyCandidate() {
        let hosts = [F.resource(1), F.resource(2, busy: [F.busy(at("14:00"), minutes: 30)])]
        let slots = F.slots(F.query(F.spec(), hosts, requested: 2), monday)
        #expect(slots.first?.start == at("14:30") && slots.allSatisfy { $0.resourceIDs == [2] })
        #expect(F.slots(F.query(F.spec(), hosts, requested: 99), monday).isEmpty)
        let e = AvailabilityEngine(query: F.query(F.spec(), hosts, requested: 99), from: F.d(monday), to: F.d(monday))
        #expect(e.explain(start: at("14:00")) == [.noQualifiedResource])
    }

    @Test func severalPickedResourcesEachServeTheirComponent() {
        var q = F.query(treatment, [F.resource(1), F.resource(2), F.resource(10, .venue), F.resource(11, .venue)])
        q.requestedResourceIDs = [11, 2]
        let slots = AvailabilityEngine(query: q, from: F.d(monday), to: F.d(monday)).slots()
        #expect(!slots.isEmpty && slots.allSatisfy { $0.assignments.map(\.resourceIDs) == [[2], [11]] })
        #expect(q.requestedResourceID == 11)
    }

    @Test func seatsLeftCountsFreeHostsForAnyHostOffers() {
        let hosts = [F.resource(1), F.resource(2), F.resource(3, busy: [F.busy(at("14:00"), minutes: 30)])]
        let slots = F.slots(F.query(F.spec(), hosts), monday)
        #expect(slots.first?.seatsLeft == 2)
        #expect(slots[1].seatsLeft == 3)
    }
}
