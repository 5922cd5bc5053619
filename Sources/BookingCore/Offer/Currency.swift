/// ISO 4217 currencies and their minor units: the one place that knows how many decimals an amount
/// of a currency has, so prices are parsed, stored (integer minor units) and shown alike everywhere.
public enum Currency {
    /// Currencies whose minor unit is not the cent (ISO 4217 exponent other than 2).
    static let exponents: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    ]

    /// The active ISO 4217 currencies a business can sell in (fund codes and metals left out), sorted.
    public static let codes: [String] = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD \
        CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD \
        GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT \
        LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR \
        NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP \
        STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF \
        XPF YER ZAR ZMW ZWL
        """.split(separator: " ").map(String.init)

    static let known = Set(codes)

    static let symbols = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "INR": "₹"]

    public static func isKnown(_ code: String) -> Bool { known.contains(code) }

    /// How many decimals an amount of `code` has: JPY 0, USD 2, KWD 3 (2 for a code it does not know).
    public static func minorUnits(_ code: String) -> Int { exponents[code] ?? 2 }

    /// An amount as a plain decimal for a form field: 500000 USD → "5000.00", 5000 JPY → "5000",
    /// 1250 KWD → "1.250"; with `grouping`, thousands are separated by commas ("5,000.00").
    public static func decimal(_ minor: Int64, _ code: String, grouping: Bool = false) -> String {
        let digits = minorUnits(code)
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let value = minor.magnitude
        var whole = String(value / scale)
        if grouping {
            var grouped = ""
            for (index, ch) in whole.enumerated() {
                if index > 0, (whole.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(ch)
            }
            whole = grouped
        }
        var text = (minor < 0 ? "-" : "") + whole
        if digits > 0 {
            let fraction = String(value % scale)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }

    /// An amount as people read it: "$1,250.00", "¥5,000", "KWD 1.250", "−€5.00".
    public static func format(_ minor: Int64, _ code: String) -> String {
        let sign = minor < 0 ? "−" : ""
        let number = decimal(Int64(clamping: minor.magnitude), code, grouping: true)
        if let symbol = symbols[code] { return sign + symbol + number }
        return sign + code + " " + number
    }

    /// An example amount for messages and placeholders: "45.00", "4500", "45.000".
    public static func example(_ code: String) -> String {
        let digits = minorUnits(code)
        return digits == 0 ? "4500" : "45." + String(repeating: "0", count: digits)
    }

    /// Parses a price typed for `code` into minor units: digits, and for a currency with decimals a
    /// dot followed by at most that many digits ("45", "45.5", "45.50" for USD; "5000" for JPY;
    /// "1.250" for KWD). No signs, separators or letters; at most 12 digits before the dot.
    public static func parse(_ text: String, _ code: String, field: String) throws(ValidationError) -> Int64 {
        let digits = minorUnits(code)
        let parts = text.trimmingASCIISpaces().split(separator: ".", omittingEmptySubsequences: false)
        let isDigits = { (s: Substring) in !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        let how = digits == 0 ? "\(code) has no decimals, so enter whole numbers only"
            : "\(code) has \(digits) decimals, so enter at most \(digits) digits after the dot"
        guard !parts.isEmpty, parts.count <= 2, isDigits(parts[0]), parts[0].count <= 12, let whole = Int64(parts[0]) else {
            throw ValidationError(field: field, message: "Enter a price like \(example(code)) (digits only; \(how)).")
        }
        guard parts.count == 1 || (digits > 0 && isDigits(parts[1]) && parts[1].count <= digits) else {
            throw ValidationError(field: field, message: "Enter a price like \(example(code)): \(how).")
        }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let padded = String(parts[1]) + String(repeating: "0", count: digits - parts[1].count)
            fraction = Int64(padded) ?? 0
        }
        return whole * scale + fraction
    }
}
