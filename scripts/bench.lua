-- wrk script for the benchmark suite (scripts/bench.sh). Each wrk thread takes its own stripe of
-- the sequence, so no two requests ask the same thing.
--   BENCH_MODE=book          every request books a distinct (host, start) of the "bench" business:
--                            half-hour slots from BENCH_BASE (UNIX seconds, half-hour aligned).
--   BENCH_MODE=availability  a month of BENCH_OFFER's availability, each request for another start
--                            date (cycling over a year from BENCH_DAY0, UTC midnight), so that the
--                            answer cache never hits.
-- BENCH_KEY is the API key.
local counter = 0
local stripe = 0
local threads = {}

function setup(thread)
  thread:set("stripe", #threads)
  table.insert(threads, thread)
end

function init(args)
  stripe = tonumber(wrk.thread:get("stripe")) or 0
  mode = os.getenv("BENCH_MODE") or "book"
  key = os.getenv("BENCH_KEY")
  base = tonumber(os.getenv("BENCH_BASE") or "0")
  offer = os.getenv("BENCH_OFFER") or "service-1"
  day0 = tonumber(os.getenv("BENCH_DAY0") or "0")
end

function request()
  counter = counter + 1
  local n = counter * 2 + stripe           -- two wrk threads interleave
  if mode == "availability" then
    local first = n % 330
    local from = os.date("!%Y-%m-%d", day0 + first * 86400)
    local to = os.date("!%Y-%m-%d", day0 + (first + 30) * 86400)
    return wrk.format("GET", "/api/v1/offers/" .. offer .. "/availability?from=" .. from .. "&to=" .. to,
      {["Authorization"] = "Bearer " .. key})
  end
  local body = string.format('{"offer":"slot","start":"%s","customer":{"name":"Bench","email":"bench@example.com"}}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", base + n * 1800))
  return wrk.format("POST", "/api/v1/bookings", {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
