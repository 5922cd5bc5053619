/// The calendar grids' cells as HTML, built here rather than through a template: the day grid has
/// one cell per resource and row (6,000 for 250 resources), and resolving each cell's and item's keys
/// in Mustache was most of the page's time. Every value is escaped; only masked bookings
/// (`MaskedBooking`) reach the items, so nothing here can show what the viewer may not see.
extension StaffCalendar {
    /// `<td>` elements for `cells`, in order.
    static func cellsHTML(_ cells: [StaffCalendarPage.Cell]) -> String {
        var html = ""
        html.reserveCapacity(cells.count * 160)
        for cell in cells {
            // Appended piece by piece: a `+` chain makes a new string per step (6,000 cells a day).
            html += "<td class=\""
            html += escape(cell.cssClass)
            html += "\">"
            if let label = cell.stateLabel {
                html += "<span class=\"state\">"
                html += escape(label)
                html += "</span>"
            }
            for item in cell.items { html += itemHTML(item) }
            cell.ask?.write(into: &html)
            html += "</td>"
        }
        return html
    }

    /// One booking, buffer or block: its time, its label (a link to the booking's detail page when it
    /// has one), customer and status as the viewer may see them, and the inline check-in form.
    static func itemHTML(_ item: StaffCalendarPage.Item) -> String {
        var html = "<div class=\"cal-item " + escape(item.cssClass) + "\"><span class=\"cal-time\">" + escape(item.time) + "</span> "
        if let url = item.detailURL {
            html += "<a href=\"" + escape(url) + "\">" + escape(item.label) + "</a>"
        } else {
            html += "<span>" + escape(item.label) + "</span>"
        }
        if let customer = item.customer { html += " <span class=\"cal-customer\">" + escape(customer) + "</span>" }
        if let status = item.status { html += " <span class=\"cal-status\">" + escape(status) + "</span>" }
        if let checkIn = item.checkIn {
            html += "<form class=\"inline no-print\" method=\"post\" action=\"" + escape(checkIn.action) + "\">"
                + "<input type=\"hidden\" name=\"_csrf\" value=\"" + escape(checkIn.csrf) + "\">"
                + "<input type=\"hidden\" name=\"next\" value=\"" + escape(checkIn.next) + "\">"
                + "<button type=\"submit\" class=\"small\">Check in</button></form>"
        }
        return html + "</div>"
    }

    /// HTML-escapes text for an element or a quoted attribute (UTF-8 bytes: the entities are all ASCII).
    /// A byte switch, not a table lookup: the day grid escapes every cell's text (a dictionary probe per
    /// byte was 13 % of the staff day view's CPU).
    static func escape(_ text: String) -> String {
        let bytes = text.utf8
        guard bytes.contains(where: needsEscape) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }
}
