-- wrk request generator: one alert per request, varied labels; each alert resolves every 10th time it is sent.
-- TARGET=onloop posts Alertmanager webhook v4 payloads to onloop's ingest endpoint;
-- TARGET=alertmanager posts the same alert to Alertmanager's own API (POST /api/v2/alerts).
-- DISTINCT bounds how many different alerts (fingerprints) exist, so repeats happen as in real life.
local target = os.getenv("TARGET") or "onloop"
local token = os.getenv("TOKEN") or ""
local distinct = tonumber(os.getenv("DISTINCT") or "5000")
local names = { "HighCPU", "HighMemory", "DiskFilling", "PodCrashLooping", "TargetDown", "HighLatency",
                "ErrorRateHigh", "NodeNotReady", "CertExpiring", "QueueBacklog" }
local severities = { "critical", "warning", "warning", "info" }

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local n = 0
function init(args)
  n = tid * 1000003
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if target == "onloop" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

local function alert_json(i)
  local k = i % distinct
  local name = names[(k % #names) + 1]
  local sev = severities[(k % #severities) + 1]
  local cycle = math.floor(i / distinct) + k
  local resolved = cycle % 10 == 9 -- each alert resolves every 10th round, then fires again
  -- each episode begins after the one before ended, as Prometheus says of a real alert: a firing that began before
  -- its alert's last resolve would be a late delivery of an episode already over, which opens no incident
  local began = 1795341600 + math.floor(cycle / 10) * 600 -- 2026-11-22T10:00:00Z, then every 10 minutes
  local starts = os.date("!%Y-%m-%dT%H:%M:%SZ", began)
  local ends = resolved and os.date("!%Y-%m-%dT%H:%M:%SZ", began + 300) or "0001-01-01T00:00:00Z"
  if target == "alertmanager" and not resolved then ends = "2099-01-01T00:00:00Z" end
  return string.format(
    '{%s"labels":{"alertname":"%s","instance":"host-%d:9100","job":"node","namespace":"team-%d","severity":"%s"},'
    .. '"annotations":{"summary":"%s on host-%d","description":"value is %d%% over threshold"},'
    .. '"startsAt":"%s","endsAt":"%s","generatorURL":"http://prometheus:9090/graph?g0.expr=up"}',
    target == "onloop" and string.format('"status":"%s",', resolved and "resolved" or "firing") or "",
    name, k, k % 20, sev, name, k, k % 100, starts, ends), resolved
end

function request()
  n = n + 1
  local alert, resolved = alert_json(n)
  local body
  if target == "onloop" then
    body = '{"version":"4","groupKey":"{}:{}","truncatedAlerts":0,"status":"' .. (resolved and "resolved" or "firing")
      .. '","receiver":"onloop","groupLabels":{},"commonLabels":{},"commonAnnotations":{},'
      .. '"externalURL":"http://alertmanager:9093","alerts":[' .. alert .. ']}'
  else
    body = "[" .. alert .. "]"
  end
  return wrk.format(nil, nil, nil, body)
end
