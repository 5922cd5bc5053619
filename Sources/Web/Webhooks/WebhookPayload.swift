import BookingCore
public import Store

/// The body of a webhook delivery (CONTRACT.md, "Webhooks"):
/// `{"id","type","created_at","business","data":{"booking":{…the API's booking shape…}}}`, the
/// booking masked for the subscription's role exactly as an API key of that role reads it. Written
/// by the worker at a delivery's first attempt (passed to `WebhookSender` by the composition root).
public enum WebhookPayload {
    public static func write(_ job: WebhookJob) -> String {
        var json = JSONWriter(capacity: 768)
        json.beginObject()
        json.field("id", job.eventID)
        json.field("type", job.event.rawValue)
        json.field("created_at", instant: job.eventAt)
        json.field("business", job.business.slug)
        json.key("data")
        json.beginObject()
        json.key("booking")
        if let order = job.order {
            APIModels.write(order, mask: APIMask.for(job.role) { job.policy }, to: &json)
        } else {
            json.null()
        }
        json.endObject()
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
