"""Schemathesis hooks for scripts/api-fuzz.sh (SCHEMATHESIS_HOOKS=fuzz_hooks).

Idempotency-Key values are drawn at random, and short ones repeat ("0", "a"). The server then
rightly gives the first request's answer again (`Idempotent-Replayed: true`, Stripe's semantics),
naming a resource the scenario may have deleted since; the stateful check ST302 ("created resource
not found") reads that replay as a failure (seed 140604319459841029181253491351115590039: a closure
created, deleted, then "created" again by a replay under the same key). So in the stateful phase
a key the server accepts (1 to 255 characters) is made unique per request: every request is its
own attempt. The other phases send keys as drawn (editing a coverage case's headers makes
schemathesis re-derive what the case leaves out, and its "missing required header" cases then
fail). Replays are the Swift tests' to check (the API idempotency tests). `case._meta` is
schemathesis's own (pinned in scripts/api-fuzz.sh)."""
import uuid

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs):
    meta = getattr(case, "_meta", None)
    headers = case.headers
    if not headers or meta is None or str(meta.phase.name) != "stateful":
        return
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and 1 <= len(key) <= 255:
        headers["Idempotency-Key"] = "fuzz-" + uuid.uuid4().hex
