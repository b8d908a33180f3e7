-- Repair what a crash between two steps left behind: a "done" mark older than ARGV[2] whose job is gone, and a
-- pending target with neither a job nor a patch. Returns the job ids that have a patch but no job.
-- KEYS: 1 done hash, 2 pending zset. ARGV: 1 BullMQ job key prefix, 2 oldest mark to keep (ms), 3 patch key prefix,
-- 4 in-flight key prefix, 5 zset scan cursor, 6 scan count
local orphans = {}
local function check(id)
  if redis.call("EXISTS", ARGV[1] .. id) == 1 then
    return
  end
  if redis.call("EXISTS", ARGV[3] .. id) == 1 or redis.call("EXISTS", ARGV[4] .. id) == 1 then
    orphans[#orphans + 1] = id
  else
    redis.call("ZREM", KEYS[2], id)
  end
end
local done = redis.call("HGETALL", KEYS[1])
for i = 1, #done, 2 do
  if tonumber(done[i + 1]) < tonumber(ARGV[2]) and redis.call("EXISTS", ARGV[1] .. done[i]) == 0 then
    redis.call("HDEL", KEYS[1], done[i])
    check(done[i])
  end
end
local scan = redis.call("ZSCAN", KEYS[2], ARGV[5], "COUNT", ARGV[6])
for i = 1, #scan[2], 2 do
  check(scan[2][i])
end
return { scan[1], orphans }
