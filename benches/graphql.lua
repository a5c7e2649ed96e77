-- wrk script for champion-tracker: one GraphQL operation per request, chosen by the first
-- argument after `--`. Counts GraphQL errors (HTTP 200 with an `errors` member) besides wrk's
-- own socket and status errors, and prints one machine-readable result line.
--
--   wrk ... -s benches/graphql.lua http://127.0.0.1:PORT -- <workload> <token> [max-feedback-id] [version-id]
--       [ramp-seconds window-seconds]
--
-- The rate is the count of responses that arrive inside a window, from ramp-seconds after the
-- start for window-seconds, while the load goes on before and after it. wrk's own rate (all
-- responses over the run's length) leaves out the requests still in flight when it stops: with
-- 8 connections and 2 s requests, one in ten. pgbench waits for those, so the two did not compare.

local queries = {
  q1 = [[{ countries(filter: {isChampion: true}, first: 50) { edges { node { iso3 name roles { role status startedOn } feedback(latest: 10) { id receivedOn status sections { code } } } } } }]],
  q2s = [[{ dashboard { feedbackBySection { section { code } total direct open directOpen byStatus { status count } } } }]],
  q2 = [[{ dashboard { roleCoverage { matrix { country { iso3 } cells { role status } } byRoleAndStatus { role status count } } feedbackByStatus { status count } feedbackBySection { section { code } total open byStatus { status count } } feedbackByChannel { channel count } feedbackByCountry { country { iso3 } count } feedbackByMonth { month count } responses { feedback responded rate medianDaysToResponse } sectionsWithMostOpenFeedback { section { code } directOpen } plannedUsesByKindAndStatus { kind status count } championsWithoutPlannedUse { iso3 } pilotsByStatus { status count } upcomingEvents { title startsOn } overdueMilestones { title } atRiskMilestones { title } } }]],
  q3 = [[query($id: ID!) { node(id: $id) { ... on Feedback { id body status receivedOn channel kind } } }]],
  m1 = [[mutation($v: ID!) { submitFeedback(input: {country: "MAR", channel: WRITTEN_COMMENT, kind: SUGGESTION, body: "Benchmark feedback", guideVersion: $v, sections: ["II"], receivedOn: "2022-01-10"}) { id } }]],
}

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

-- URL-safe base64 without padding, as the server's global ids are.
local function base64(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = (c and 4) or (b and 3) or 2
    for j = 1, chars do
      local index = math.floor(n / 64 ^ (4 - j)) % 64
      out[#out + 1] = b64chars:sub(index + 1, index + 1)
    end
  end
  return table.concat(out)
end

-- A monotonic clock in seconds, through LuaJIT's FFI (wrk runs LuaJIT).
local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *out);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) * 1e-9
end

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local workload, token, max_id, version
local headers = {}
local window_opens, window_closes
-- Globals, not locals: done() reads them from each thread with thread:get.
errors = 0
in_window = 0

function init(args)
  workload, token, max_id, version = args[1], args[2], tonumber(args[3] or "1"), args[4] or ""
  local ramp = tonumber(args[5] or "0")
  window_opens = now() + ramp
  window_closes = window_opens + tonumber(args[6] or "1e9")
  math.randomseed(os.time() * 100 + id)
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. token
end

local function body(query, variables)
  return '{"query":' .. string.format("%q", query):gsub("\\\n", "\\n") .. ',"variables":' .. variables .. '}'
end

function request()
  local variables = "{}"
  if workload == "q3" then
    variables = '{"id":"' .. base64("Feedback:" .. math.random(1, max_id)) .. '"}'
  elseif workload == "m1" then
    variables = '{"v":"' .. version .. '"}'
  end
  return wrk.format("POST", "/graphql", headers, body(queries[workload], variables))
end

function response(status, headers, body)
  local at = now()
  if at >= window_opens and at < window_closes then
    in_window = in_window + 1
  end
  if status ~= 200 or body:find('"errors"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local graphql_errors, window_requests = 0, 0
  for _, thread in ipairs(threads) do
    graphql_errors = graphql_errors + (thread:get("errors") or 0)
    window_requests = window_requests + (thread:get("in_window") or 0)
  end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f window_requests=%d p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, window_requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    graphql_errors + socket + summary.errors.status))
end
