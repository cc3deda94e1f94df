-- wrk script of bench/run.sh: signed-in users taken in turn, a fresh client uuid per event, and the
-- accepted events counted from the 202 answers.
--
-- Environment: BENCH_USERS (a file written by run.sh: one "session xsrf anonymousId" line per user,
-- none for the proxy and the bare app), BENCH_EVENTS (events per request: 1, or a batch of that
-- many), BENCH_RATE and BENCH_THREADS (see below), BENCH_RESULT (where the summary line goes).

local users = {}
local usersFile = os.getenv("BENCH_USERS")
if usersFile and usersFile ~= "" then
  for line in io.lines(usersFile) do
    local session, xsrf, anon = line:match("^(%S+) (%S+) (%S+)$")
    if session then
      users[#users + 1] = { session = session, xsrf = xsrf, anon = anon }
    end
  end
end
local eventsPerRequest = tonumber(os.getenv("BENCH_EVENTS") or "1")
-- A paced run: BENCH_RATE requests a second over all BENCH_THREADS threads (0 drives as fast as the
-- answers come). Each thread sends on a schedule of its own, one request every threads / rate
-- seconds, whatever the latency; when it falls behind (every connection busy), it sends as soon
-- as a connection is free and does not catch up in a burst. A fixed pause per connection would
-- not do: a request's latency adds to its pause, so the rate would fall short of the target.
local rate = tonumber(os.getenv("BENCH_RATE") or "0")

if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *now);
  ]]
  local now = ffi.new("bench_timespec")
  local function millis()
    ffi.C.clock_gettime(1, now) -- CLOCK_MONOTONIC
    return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
  end
  local interval = tonumber(os.getenv("BENCH_THREADS") or "1") * 1000 / rate
  local nextAt = nil
  function delay()
    local t = millis()
    if nextAt == nil or nextAt < t then
      nextAt = t
    end
    local wait = nextAt - t
    nextAt = nextAt + interval
    return math.floor(wait)
  end
end

-- A `build completed` event as the web app sends it, about 600 bytes with its envelope.
local properties = '{"surface":"app_chat","route_shape":"/w/acme/apps/5f0c7a1e-8a4b-4c1e-9a53-6c1f2d3e4b5a/runs/812",'
  .. '"viewport_width":1280,"viewport_height":800,"message_count":12,"tool_call_count":7,'
  .. '"attachment_count":1,"file_count":3,"duration_ms":48211,"runtime_id":"claude-code","model":"gpt-5",'
  .. '"failure_phase":"build","error_code":"E_TIMEOUT","workspace_id":"ws_4c1e9a53"}'

local threads = {}
local counter = 0
-- globals, so that done() can read them from each thread
accepted = 0
failures = 0

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

local function uuid()
  return string.format("%08x-%04x-4%03x-%x%03x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(8, 11), math.random(0, 0xfff), math.random(0, 0xffffffffffff))
end

local function event(user)
  return '{"event":"build completed","anonymousId":"' .. user.anon .. '","uuid":"' .. uuid()
    .. '","properties":' .. properties .. '}'
end

function request()
  counter = counter + 1
  local user = users[(counter % math.max(#users, 1)) + 1] or { session = "-", xsrf = "-", anon = "anon_" .. uuid() }
  local body
  if eventsPerRequest <= 1 then
    body = event(user)
  else
    local events = {}
    for i = 1, eventsPerRequest do
      events[i] = event(user)
    end
    body = '{"batch":[' .. table.concat(events, ",") .. ']}'
  end
  local headers = { ["Content-Type"] = "application/json" }
  if #users > 0 then
    headers["Cookie"] = "SESSION=" .. user.session .. "; XSRF-TOKEN=" .. user.xsrf
    headers["X-XSRF-TOKEN"] = user.xsrf
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == 202 then
    local n = body:match('"accepted":(%d+)')
    accepted = accepted + (tonumber(n) or 0)
  elseif status ~= 200 and status ~= 204 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local totalAccepted, totalFailures = 0, 0
  for _, thread in ipairs(threads) do
    totalAccepted = totalAccepted + (thread:get("accepted") or 0)
    totalFailures = totalFailures + (thread:get("failures") or 0)
  end
  local seconds = summary.duration / 1e6
  local out = io.open(os.getenv("BENCH_RESULT") or "/dev/stdout", "w")
  out:write(string.format("requests=%d seconds=%.3f rps=%.1f accepted=%d failures=%d socket_errors=%d "
    .. "p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f\n",
    summary.requests, seconds, summary.requests / seconds, totalAccepted,
    totalFailures, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
  out:close()
end
