-- wrk script for the GET scenarios: one fixed request, optionally with a Cookie header.
-- Usage: wrk ... -s wrk-get.lua URL -- <path> [cookie]
function init(args)
  wrk.method = "GET"
  wrk.path = args[1]
  if args[2] ~= nil and args[2] ~= "" then
    wrk.headers["Cookie"] = args[2]
  end
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
