-- wrk script: every request books a distinct (host, start) of the "bench" business.
-- Each wrk thread takes its own stripe of half-hour slots, so no two requests ask for the same one.
local counter = 0
local stripe = 0
local threads = {}

function setup(thread)
  thread:set("stripe", #threads)
  table.insert(threads, thread)
end

function init(args)
  stripe = tonumber(wrk.thread:get("stripe")) or 0
  base = tonumber(os.getenv("BENCH_BASE"))   -- first slot, UNIX seconds (half-hour aligned)
  key = os.getenv("BENCH_KEY")
end

function request()
  counter = counter + 1
  local n = counter * 2 + stripe           -- two wrk threads interleave
  local start = base + n * 1800
  local body = string.format('{"offer":"slot","start":"%s","customer":{"name":"Bench","email":"bench@example.com"}}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", start))
  return wrk.format("POST", "/api/v1/bookings", {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
