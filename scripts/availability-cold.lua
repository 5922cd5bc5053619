-- wrk script: a month of availability, each request for another start date (cycling over a year),
-- so that no two requests in the same second ask the same question and the answer cache never hits.
-- Env: BENCH_KEY (API key), BENCH_OFFER (offer slug), BENCH_DAY0 (first date as UNIX seconds, UTC midnight).
local counter = 0
local stripe = 0
local threads = {}

function setup(thread)
  thread:set("stripe", #threads)
  table.insert(threads, thread)
end

function init(args)
  stripe = tonumber(wrk.thread:get("stripe")) or 0
  key = os.getenv("BENCH_KEY")
  offer = os.getenv("BENCH_OFFER") or "service-1"
  day0 = tonumber(os.getenv("BENCH_DAY0"))
end

function request()
  counter = counter + 1
  local n = (counter * 2 + stripe) % 330
  local from = os.date("!%Y-%m-%d", day0 + n * 86400)
  local to = os.date("!%Y-%m-%d", day0 + (n + 30) * 86400)
  return wrk.format("GET", "/api/v1/offers/" .. offer .. "/availability?from=" .. from .. "&to=" .. to,
    {["Authorization"] = "Bearer " .. key})
end
