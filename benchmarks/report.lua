-- wrk script: prints one JSON line with p50/p95/p99 (wrk's own --latency has no p95).
-- With arguments (nomination ids), each request POSTs the event in BENCH_EVENT to the next id.
local ids, i = {}, 0
local event = os.getenv("BENCH_EVENT") or "ministry_decline"

function init(args)
  for _, a in ipairs(args) do ids[#ids + 1] = a end
end

function request()
  if #ids == 0 then return wrk.format() end
  i = i + 1
  local id = ids[((i - 1) % #ids) + 1]
  return wrk.format("POST", "/api/v1/nominations/" .. id .. "/events", nil,
                    '{"event": "' .. event .. '", "comment": "基准测试"}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, "p50": %d, "p95": %d, "p99": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
