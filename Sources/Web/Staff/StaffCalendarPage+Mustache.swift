import Mustache

// The week grid renders one cell per resource and day (1,750 for 250 resources), each with a few
// keys; the day grid's rows and items use them too. Mustache resolves a key on a plain struct through `Mirror`, which was most of
// the page's time; these lookups answer by name instead. An absent optional answers `false`: as
// falsy as nil for `{{#key}}` and `{{^key}}` (the only way the templates use these keys), but it
// stops the lookup here instead of searching every enclosing context (nil would walk up to the page).

/// `value`, or `false` when absent (see above).
private func orFalse(_ value: (some Any)?) -> Any { value.map { $0 as Any } ?? false }

extension StaffCalendarPage.Item: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "cssClass": cssClass
        case "time": time
        case "label": label
        case "detailURL": orFalse(detailURL)
        case "customer": orFalse(customer)
        case "status": orFalse(status)
        case "checkIn": orFalse(checkIn)
        default: nil
        }
    }
}

extension StaffCalendarPage.CheckIn: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "action": action
        case "csrf": csrf
        case "next": next
        default: nil
        }
    }
}

extension StaffCalendarPage.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "cssClass": cssClass
        case "stateLabel": orFalse(stateLabel)
        case "items": items
        default: nil
        }
    }
}

extension StaffCalendarPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "time": time
        case "isNow": isNow
        case "cellsHTML": cellsHTML
        default: nil
        }
    }
}

extension StaffCalendarPage.WeekRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "heading": heading
        case "isToday": isToday
        case "url": url
        case "cells": cells
        default: nil
        }
    }
}

extension StaffCalendarPage.Column: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "kind": kind
        case "closed": closed
        case "hours": hours
        default: nil
        }
    }
}
