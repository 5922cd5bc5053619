// BookingCore: the pure domain of Bizing. No I/O, no clock reads, no database, no HTTP.
//
// - Time: `Instant` (UNIX seconds), `TimeRange` (half-open), `LocalDate`, `WallTime`, `ZoneClock`
//   (DST-correct wall time ↔ instant), `RFC3339`.
// - Schedules: `ResourceSchedule` with `WeeklyRule`s, `DateOverlay`s, blocked time and `BusyEntry`s.
// - Offers: `OfferVersionSpec` (mode, duration, buffers, grid, notice, advance, seats, price,
//   rules, deposit, tiers, components).
// - Availability: `AvailabilityQuery` → `AvailabilityEngine` → `slots()` / `check(start:)` /
//   `explain(start:)`, one evaluation behind all three.
// - Money and policy: `Pricing.quote`, `Policies` (refund, no-show, reschedule), `BookingStatus`
//   (the state machine), `Role`/`Permission`, `Masking`, `Validation`.
//
// Money: integer minor units; every percentage or multiplier rounds half-up (half away from
// zero) to a whole minor unit — see `roundHalfUp(_:times:over:)`.
// No type in this module is named `BookingCore`, so `BookingCore.Slot` always works.
