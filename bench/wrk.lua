-- wrk script for the CRM benchmark: adds the Bearer token and the X-Organization-Id header,
-- rotates over the bench users' tokens (so the per-user throttle of production settings stays
-- on and out of the way), and writes the summary as JSON to $BENCH_WRK_OUT.
--
-- Environment: BENCH_TOKENS_FILE (one access token a line), BENCH_ORG, BENCH_PATH,
-- BENCH_METHOD (GET), BENCH_BODY (JSON for POST), BENCH_DELAY_MS (pause between requests on
-- one connection, for a paced background load), BENCH_WRK_OUT.

local requests = {}
local index = 0
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0") or 0

function init(args)
  local method = os.getenv("BENCH_METHOD") or "GET"
  local path = os.getenv("BENCH_PATH") or "/healthcheck"
  local body = os.getenv("BENCH_BODY")
  if body == "" then body = nil end
  local headers = { ["Accept"] = "application/json" }
  local org = os.getenv("BENCH_ORG")
  if org and org ~= "" then headers["X-Organization-Id"] = org end
  if body then headers["Content-Type"] = "application/json" end
  local tokens = {}
  local file = io.open(os.getenv("BENCH_TOKENS_FILE") or "", "r")
  if file then
    for line in file:lines() do
      if line ~= "" then tokens[#tokens + 1] = line end
    end
    file:close()
  end
  if #tokens == 0 then tokens[1] = "" end
  for i, token in ipairs(tokens) do
    local h = {}
    for k, v in pairs(headers) do h[k] = v end
    if token ~= "" then h["Authorization"] = "Bearer " .. token end
    requests[i] = wrk.format(method, path, h, body)
  end
  -- Each thread starts at a different token.
  index = math.random(#requests) - 1
end

function request()
  index = index % #requests + 1
  return requests[index]
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests_)
  local out = os.getenv("BENCH_WRK_OUT")
  if not out or out == "" then return end
  local file = io.open(out, "w")
  local errors = summary.errors
  file:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx_3xx": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes, errors.status,
    errors.connect, errors.read, errors.write, errors.timeout,
    latency.min, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
  file:close()
end
