import Mustache

// Mustache resolves a key on a plain struct through `Mirror`; the grids' repeated rows, columns and
// resource options (one per row or per resource) answer by name instead. Cells are HTML already
// (`StaffCalendar.cellsHTML`).

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
        case "cellsHTML": cellsHTML
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

extension StaffCalendarPage.Option: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}
