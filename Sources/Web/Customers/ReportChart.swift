import BookingCore
import Foundation

/// The busiest-hours bar chart as inline SVG, built on the server (no JavaScript), with a title and
/// description for assistive technology; the page also gives the numbers in a table. Only numbers
/// and fixed words go into it, so nothing needs escaping.
enum ReportChart {
    static let width = 640, height = 240, left = 36, bottom = 28, top = 12

    /// Bars for `hours` (local hour → bookings), from the first to the last hour with a booking.
    static func svg(_ hours: [Int], id: String) -> String {
        guard let first = hours.firstIndex(where: { $0 > 0 }), let last = hours.lastIndex(where: { $0 > 0 }) else { return "" }
        let shown = Array(first...last)
        let peak = max(1, hours.max() ?? 1)
        let plotWidth = width - left - 8, plotHeight = height - bottom - top
        let slot = plotWidth / shown.count
        let busiest = shown.max { hours[$0] < hours[$1] } ?? first
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" aria-labelledby=\"\(id)-title \(id)-desc\">"
        svg += "<title id=\"\(id)-title\">Bookings by the hour they start</title>"
        svg += "<desc id=\"\(id)-desc\">Bar chart from \(label(first)) to \(label(last)); the busiest hour is \(label(busiest)) with \(hours[busiest]) booking\(hours[busiest] == 1 ? "" : "s"). The same numbers are in the table below.</desc>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - 8)\" y2=\"\(top + plotHeight)\" stroke=\"currentColor\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 10)\" text-anchor=\"end\" font-size=\"12\" fill=\"currentColor\">\(peak)</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + plotHeight)\" text-anchor=\"end\" font-size=\"12\" fill=\"currentColor\">0</text>"
        for (index, hour) in shown.enumerated() {
            let barHeight = hours[hour] * plotHeight / peak
            let x = left + index * slot + slot / 8
            svg += "<rect x=\"\(x)\" y=\"\(top + plotHeight - barHeight)\" width=\"\(max(1, slot * 3 / 4))\" height=\"\(barHeight)\" fill=\"#1d70b8\"/>"
            svg += "<text x=\"\(left + index * slot + slot / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\" font-size=\"11\" fill=\"currentColor\">\(String(format: "%02d", hour))</text>"
        }
        return svg + "</svg>"
    }

    /// "09:00".
    static func label(_ hour: Int) -> String { String(format: "%02d:00", hour) }
}
