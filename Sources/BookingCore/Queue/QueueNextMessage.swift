/// The "you are next" message of a walk-in queue: one plain line, short enough for one text message
/// (160 characters of the GSM alphabet's size), so the same words go by email and by SMS.
public enum QueueNextMessage {
    /// The most a single text message carries.
    public static let maxLength = 160

    /// "Bizing Barbers: you are next in line (Barber queue). Please come to the desk now." Names are
    /// put on one line and shortened so the whole line fits `maxLength`.
    public static func text(businessName: String, queueName: String) -> String {
        let tail = ". Please come to the desk now."
        func line(_ business: String, _ queue: String) -> String {
            "\(business): you are next in line (\(queue))\(tail)"
        }
        var business = oneLine(businessName), queue = oneLine(queueName)
        let fixed = line("", "").count
        let room = maxLength - fixed
        if business.count + queue.count > room {
            // Share the room, the queue's name first (it says where to go), at least 20 for each.
            let queueRoom = Swift.min(queue.count, Swift.max(20, room - Swift.min(business.count, room / 2)))
            queue = shorten(queue, to: queueRoom)
            business = shorten(business, to: room - queue.count)
        }
        return line(business, queue)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline || $0 == "\t" || $0 == " " }).joined(separator: " ")
    }

    static func shorten(_ text: String, to length: Int) -> String {
        guard text.count > length else { return text }
        guard length > 1 else { return String(text.prefix(Swift.max(0, length))) }
        return String(text.prefix(length - 1)) + "…"
    }
}
