-- A job's write is over (written, or failed for good): drop the in-flight patch and decide whether this job must
-- run again. Producers and this script are serialized by Redis, so no update can slip between the check and the
-- "done" mark: an update arriving after it sees the mark and leaves the rescheduling to this job's worker.
-- KEYS: 1 patch hash, 2 in-flight hash, 3 done hash, 4 pending zset. ARGV: 1 job id, 2 now (ms)
-- Returns 1: updates arrived meanwhile, run the job again. 0: done (marked until the job is removed).
redis.call("DEL", KEYS[2])
if redis.call("EXISTS", KEYS[1]) == 1 then
  local since = redis.call("HGET", KEYS[1], "~since")
  if since then
    redis.call("ZADD", KEYS[4], since, ARGV[1])
  end
  return 1
end
redis.call("ZREM", KEYS[4], ARGV[1])
redis.call("HSET", KEYS[3], ARGV[1], ARGV[2])
return 0
