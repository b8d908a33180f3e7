-- A job starts: move the pending patch into the in-flight one (kept until written, so a killed worker's successor
-- writes it again) and return the in-flight patch.
-- KEYS: 1 patch hash, 2 in-flight hash, 3 done hash. ARGV: 1 job id
-- Newer pending entries win over in-flight ones key by key; a pending replace discards the in-flight patch.
redis.call("HDEL", KEYS[3], ARGV[1])
if redis.call("EXISTS", KEYS[1]) == 1 then
  if redis.call("HGET", KEYS[1], "~replace") == "1" then
    redis.call("DEL", KEYS[2])
  end
  local fields = redis.call("HGETALL", KEYS[1])
  for i = 1, #fields, 2 do
    if fields[i] ~= "~since" then
      redis.call("HSET", KEYS[2], fields[i], fields[i + 1])
    end
  end
  redis.call("DEL", KEYS[1])
end
return redis.call("HGETALL", KEYS[2])
