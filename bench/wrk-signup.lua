-- wrk script for POST /api/signup: a unique address per request, and X-Forwarded-For rotating
-- through 65,536 client addresses (10.77.0.0/16) so the per-IP limit is exercised but not hit.
-- Usage: wrk ... -s wrk-signup.lua URL -- <tag> <offset>
--   tag    makes the addresses unique across runs; offset continues the address rotation.
local tag = "bench"
local counter = 0

function init(args)
  tag = args[1] or tag
  counter = tonumber(args[2] or "0")
end

function request()
  counter = counter + 1
  local ip = counter % 65536
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = "10.77." .. math.floor(ip / 256) .. "." .. (ip % 256),
  }
  local body = '{"email":"' .. tag .. "-" .. counter .. '@bench.example.com"}'
  return wrk.format("POST", "/api/signup", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,'
      .. '"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
