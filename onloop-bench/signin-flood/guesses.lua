-- wrk request generator: HTTP Basic sign-ins with a new made-up user name and password on every request,
-- so the per-name throttle never locks any of them and every one costs a password check (Argon2).
local counter = 0
request = function()
  counter = counter + 1
  local name = "u" .. math.random(1, 1000000000) .. "x" .. counter
  local cred = name .. ":pw" .. counter
  -- base64 encode
  local b='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  local enc = ((cred:gsub('.', function(x)
    local r,bb='',x:byte()
    for i=8,1,-1 do r=r..(bb%2^i-bb%2^(i-1)>0 and '1' or '0') end
    return r;
  end)..'0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if (#x < 6) then return '' end
    local c=0
    for i=1,6 do c=c+(x:sub(i,i)=='1' and 2^(6-i) or 0) end
    return b:sub(c+1,c+1)
  end)..({ '', '==', '=' })[#cred%3+1])
  return wrk.format("GET", "/api/v1/incidents", {["Authorization"] = "Basic " .. enc})
end

-- Counts the answers by status (each thread counts its own; done() adds them up).
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, count in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, status .. ": " .. count)
  end
  table.sort(parts)
  io.write("answers by status: " .. table.concat(parts, ", ") .. "\n")
end
