-- After a finished job was removed (or moved to failed): clear its "done" mark and say whether updates that
-- arrived while it finished need a new job.
-- KEYS: 1 patch hash, 2 done hash. ARGV: 1 job id
-- Returns 1 when a pending patch is left over.
redis.call("HDEL", KEYS[2], ARGV[1])
return redis.call("EXISTS", KEYS[1])
