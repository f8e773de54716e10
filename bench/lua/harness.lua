-- The wrk harness every scenario runs under. bench/wrk.py prepends a generated prologue that sets:
--   bench_method      the HTTP method
--   bench_body        a fixed request body, or nil
--   bench_body_parts  a body split at each "{{unique}}", or nil; the parts are joined with a token unique
--                     to the run, the thread and the request (names must not repeat: duplicates are refused)
-- and may append scenario Lua after it (e.g. its own request()). wrk's first script argument is the run tag.
--
-- Every response is counted by status code; the first non-2xx body is kept as a sample. done() prints one
-- line "BENCH_JSON {...}" that bench/wrk.py parses: latencies in microseconds, as wrk measures them.

wrk.method = bench_method
if bench_body ~= nil then
  wrk.body = bench_body
end

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

function init(args)
  tag = (args[1] or "bench") .. "-t" .. tostring(tid)
  counter = 0
  statuses = {}
  sample = nil
end

if bench_body_parts ~= nil then
  function request()
    counter = counter + 1
    return wrk.format(nil, nil, nil, table.concat(bench_body_parts, tag .. "-" .. counter))
  end
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if sample == nil and (status < 200 or status > 299) then
    sample = key .. " " .. string.sub(body or "", 1, 300)
  end
end

local function json_string(s)
  local escaped = string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. escaped .. '"'
end

function done(summary, latency, requests)
  local totals = {}
  local first_sample = nil
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    if counts ~= nil then
      for code, n in pairs(counts) do
        totals[code] = (totals[code] or 0) + n
      end
    end
    local s = thread:get("sample")
    if first_sample == nil and s ~= nil then
      first_sample = s
    end
  end
  local codes = {}
  for code, n in pairs(totals) do
    table.insert(codes, string.format("%s:%d", json_string(code), n))
  end
  local e = summary.errors
  local out = string.format(
    '{"duration_us":%d,"requests":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"min":%.1f,"mean":%.1f,"stdev":%.1f,"max":%.1f,'
      .. '"p50":%.1f,"p75":%.1f,"p90":%.1f,"p99":%.1f,"p999":%.1f},'
      .. '"statuses":{%s},"sample":%s}',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9),
    table.concat(codes, ","), first_sample and json_string(first_sample) or "null"
  )
  io.write("BENCH_JSON " .. out .. "\n")
end
