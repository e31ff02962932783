-- wrk script for the receiver benchmark (run by load.ts with one wrk thread).
-- init(file, amount): reads the prepared requests, one request per two lines
-- (path with query, then body), and sends each once, in order. The thread
-- stops once `amount` responses are in, so the count is exact; the file holds
-- spare requests for those still in flight then.
-- wrk's main thread still sleeps out its duration, so the script then prints
-- `stopped` and load.ts sends SIGINT; the run's duration is measured here.
-- A response is good only if it is 200 with the body `success`.

local function cpu_ticks()
  local file = io.open("/proc/self/stat")
  local stat = file:read("*a")
  file:close()
  local fields = {}
  for field in stat:match("%) (.*)"):gmatch("%S+") do fields[#fields + 1] = field end
  -- utime and stime, fields 14 and 15 of stat(5); field 3 is index 1 here.
  return tonumber(fields[12]) + tonumber(fields[13])
end

-- Seconds since boot, to 10 ms: the clock wrk's Lua has.
local function uptime()
  local file = io.open("/proc/uptime")
  local seconds = tonumber(file:read("*a"):match("^(%S+)"))
  file:close()
  return seconds
end

local prepared, amount, next_index, responses, good = {}, 0, 1, 0, 0
local the_thread

function setup(thread)
  the_thread = thread
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  amount = tonumber(args[2]) or math.huge
  local headers = { ["Content-Type"] = "application/json" }
  while true do
    local path = file:read("*l")
    if path == nil then break end
    prepared[#prepared + 1] = wrk.format("POST", path, headers, file:read("*l"))
  end
  file:close()
  cpu_ticks_after_init = cpu_ticks()
end

function request()
  local r = prepared[next_index]
  if r == nil then
    error("the prepared requests ran out: raise the spare count in load.ts")
  end
  if next_index == 1 then started_at = uptime() end
  next_index = next_index + 1
  return r
end

function response(status, headers, body)
  responses = responses + 1
  if status == 200 and body == "success" then good = good + 1 end
  -- Exposed to done(), which runs in another Lua state.
  counted_responses, counted_good = responses, good
  if responses == amount then
    stopped_at = uptime()
    wrk.thread:stop()
    io.write("stopped\n")
    io.flush()
  end
end

function done(summary, latency, requests)
  local ticks_per_second = 100
  local after_init = the_thread:get("cpu_ticks_after_init") or 0
  local generator_seconds = (cpu_ticks() - after_init) / ticks_per_second
  local e = summary.errors
  local stopped_at, started_at = the_thread:get("stopped_at"), the_thread:get("started_at")
  local duration_us = stopped_at and (stopped_at - started_at) * 1e6 or summary.duration
  io.write(string.format(
    '{"responses":%d,"good":%d,"socketErrors":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"generatorSeconds":%.2f,"generatorStartSeconds":%.2f}\n',
    the_thread:get("counted_responses") or 0, the_thread:get("counted_good") or 0,
    e.connect + e.read + e.write + e.timeout, duration_us,
    latency:percentile(50), latency:percentile(99), latency.max, generator_seconds, after_init / ticks_per_second))
end
