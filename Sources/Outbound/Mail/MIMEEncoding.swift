/// The encodings MIME needs, as pure functions over bytes. Every output line ends in CRLF.
enum MIME {
    static let crlf: [UInt8] = [13, 10]

    /// Header text with every control character (CR, LF, NUL, TAB…) replaced by a space, so no field
    /// value can end its line and start another header.
    static func headerSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    /// Text with its line breaks (CRLF, CR or LF) split into lines.
    static func lines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var previousCR = false
        for byte in text.utf8 {
            if byte == 10 {
                if !previousCR { lines.append([]) }
                previousCR = false
            } else if byte == 13 {
                lines.append([])
                previousCR = true
            } else {
                lines[lines.count - 1].append(byte)
                previousCR = false
            }
        }
        return lines
    }

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text, line breaks normalised to CRLF; no output line
    /// is longer than 76 characters (soft breaks `=` where needed); trailing spaces are encoded.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for (index, line) in lines(text).enumerated() {
            if index > 0 { out += crlf }
            var column = 0
            for (position, byte) in line.enumerated() {
                let isLast = position == line.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 32 || byte == 9) && !isLast)
                let encoded = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                var token: [UInt8] = literal ? [byte] : encoded
                // Room for the token plus a soft break "=" unless this is the line's last token.
                if column + token.count > (isLast ? 76 : 75) {
                    out += [UInt8(ascii: "=")] + crlf
                    column = 0
                }
                // A leading "." is encoded too, so no body line can look like SMTP's end of data.
                if column == 0 && byte == UInt8(ascii: ".") { token = encoded }
                out += token
                column += token.count
            }
        }
        return out
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Base64 with no line breaks.
    static func base64(_ data: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(data)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(base64Alphabet[Int(b0 >> 2)])
            out.append(base64Alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? base64Alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? base64Alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return out
    }

    /// Base64 in lines of 76 characters, each ending in CRLF (RFC 2045 §6.8).
    static func base64Lines(_ data: [UInt8]) -> [UInt8] {
        let encoded = base64(data)
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count + encoded.count / 76 * 2 + 2)
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            out += encoded[start..<end]
            out += crlf
            start = end
        }
        return out
    }

    /// RFC 2047 "B" encoded words for `text`, each at most 75 characters, split only between
    /// Unicode scalars (a character's UTF-8 bytes are never split across two words).
    static func encodedWords(_ text: String) -> [String] {
        let prefix = "=?UTF-8?B?", suffix = "?="
        // 39 bytes → 52 base64 characters, 64 with the delimiters: "Subject: " and a word fit in 78.
        let maxPayloadBytes = 39
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maxPayloadBytes {
                words.append(prefix + String(decoding: base64(chunk), as: UTF8.self) + suffix)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(prefix + String(decoding: base64(chunk), as: UTF8.self) + suffix)
        }
        return words
    }

    /// An RFC 5322 date in UTC: `"Wed, 02 Dec 2026 06:31:07 +0000"`.
    static func date(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil from days (H. Hinnant), proleptic Gregorian.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]   // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day)) \(months[Int(month - 1)]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
    }
}
