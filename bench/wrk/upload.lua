-- One wrk script for every upload scenario; the bench/run script sets the environment:
--   WAYMARK_TOKEN  bearer token            WAYMARK_BODY  file with the request body
--   WAYMARK_KEYS   none | fresh | replay | storm
--   WAYMARK_REPLAY_PREFIX, WAYMARK_REPLAY_COUNT  the keys seeded for "replay"
--   WAYMARK_DELAY_MS  optional pause per connection between requests (paced load)
local keys = os.getenv("WAYMARK_KEYS") or "none"
local token = os.getenv("WAYMARK_TOKEN")
local body_file = os.getenv("WAYMARK_BODY")
local replay_prefix = os.getenv("WAYMARK_REPLAY_PREFIX") or "replay-"
local replay_count = tonumber(os.getenv("WAYMARK_REPLAY_COUNT") or "256")
-- Pacing for the "half of peak" run: each connection waits this long before its next request.
local delay_ms = tonumber(os.getenv("WAYMARK_DELAY_MS") or "0")
local threads = {}
local counter = 0
local prefix

function setup(thread)
  thread:set("thread_index", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  -- Unique per thread and per run, so fresh keys never collide across threads or runs.
  prefix = "wrk-" .. os.time() .. "-" .. thread_index .. "-" .. math.random(1, 1000000000)
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function request()
  counter = counter + 1
  if keys == "fresh" then
    wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter
  elseif keys == "replay" then
    wrk.headers["Idempotency-Key"] = replay_prefix .. (counter % replay_count)
  elseif keys == "storm" then
    wrk.headers["Idempotency-Key"] = replay_prefix .. "storm"
  end
  return wrk.format()
end
