// Each operation is one EVAL on one key: atomic, one round trip, and Cluster-safe (a single slot).
// EVAL rather than EVALSHA: after a Redis restart EVALSHA answers NOSCRIPT and would cost a second trip.
// The entry is a hash: state ('in-flight' | 'completed'), fp, token (while in flight), outcome (once completed).

/** ARGV: fingerprint, token, leaseMs. Replies {'acquired'} | {'in-flight', pttl} | {'completed', outcome} | {'mismatch'}. */
export const CLAIM_SCRIPT = `
local entry = redis.call('HMGET', KEYS[1], 'state', 'fp', 'outcome')
if not entry[1] then
  redis.call('HSET', KEYS[1], 'state', 'in-flight', 'fp', ARGV[1], 'token', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'acquired'}
end
if entry[2] ~= ARGV[1] then return {'mismatch'} end
if entry[1] == 'completed' then return {'completed', entry[3]} end
return {'in-flight', redis.call('PTTL', KEYS[1])}
`;

/** ARGV: token, outcome, resultTtlMs. Replies 1 when the token owned the in-flight key, else 0. */
export const COMPLETE_SCRIPT = `
local entry = redis.call('HMGET', KEYS[1], 'state', 'token')
if entry[1] ~= 'in-flight' or entry[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'completed', 'outcome', ARGV[2])
redis.call('HDEL', KEYS[1], 'token')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** ARGV: token. Replies 1 when the token owned the in-flight key (now deleted), else 0. */
export const RELEASE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;
