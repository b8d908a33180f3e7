-- Merge one update into a target's pending patch and say who must schedule its job.
-- KEYS: 1 patch hash, 2 pending zset, 3 done hash, 4 BullMQ job hash of the target, 5 BullMQ failed zset
-- ARGV: 1 job id (the target), 2 now (ms), 3 "1" to replace the whole map, 4 nickname for a contact created on
-- the way ("" for none), 5.. field, value pairs
-- Fields are data keys with JSON values ("" deletes); "~replace", "~nickname" and "~since" are markers ("~" is not
-- valid in a key). A replace drops the pending data, not the nickname.
-- Returns 1: no job exists, add one. 2: the target's job failed for good, retry it. 3: its job is finishing and its
-- worker reschedules after removal. 0: a waiting or running job will take this patch.
local patch = KEYS[1]
if ARGV[3] == "1" then
  local nickname = redis.call("HGET", patch, "~nickname")
  redis.call("DEL", patch)
  redis.call("HSET", patch, "~replace", "1")
  if nickname then
    redis.call("HSET", patch, "~nickname", nickname)
  end
end
if ARGV[4] ~= "" then
  redis.call("HSET", patch, "~nickname", ARGV[4])
end
for i = 5, #ARGV, 2 do
  redis.call("HSET", patch, ARGV[i], ARGV[i + 1])
end
redis.call("HSETNX", patch, "~since", ARGV[2])
redis.call("ZADD", KEYS[2], "NX", ARGV[2], ARGV[1])
if redis.call("EXISTS", KEYS[4]) == 0 then
  return 1
end
if redis.call("ZSCORE", KEYS[5], ARGV[1]) then
  return 2
end
if redis.call("HEXISTS", KEYS[3], ARGV[1]) == 1 then
  return 3
end
return 0
