// Each operation is one EVAL on one key: atomic, one round trip, and Cluster-safe (a single slot).
// EVAL rather than EVALSHA: after a Redis restart EVALSHA answers NOSCRIPT and would cost a second trip.
// An in-flight key is a hash (state 'in-flight', fp, token). A completed key is a compact string record
// (format 2, see compact-record.ts) built from the hash's fingerprint; keys completed by the previous
// release are hashes (state 'completed', fp, outcome) until their TTL ends, and are still read.
// Fingerprints are compared on their first 22 characters (128 bits), all a compact record keeps.

/**
 * ARGV: fingerprint, token, leaseMs. Replies {'acquired'} | {'in-flight', pttl} | {'completed', outcome}
 * | {'mismatch'} | {'record', compact record} (the caller checks its fingerprint).
 */
export const CLAIM_SCRIPT = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'none' then
  redis.call('HSET', KEYS[1], 'state', 'in-flight', 'fp', ARGV[1], 'token', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'acquired'}
end
if kind == 'string' then return {'record', redis.call('GET', KEYS[1])} end
local entry = redis.call('HMGET', KEYS[1], 'state', 'fp', 'outcome')
if string.sub(entry[2] or '', 1, 22) ~= string.sub(ARGV[1], 1, 22) then return {'mismatch'} end
if entry[1] == 'completed' then return {'completed', entry[3]} end
return {'in-flight', redis.call('PTTL', KEYS[1])}
`;

/**
 * ARGV: token, compact outcome, resultTtlMs. Replaces the owned in-flight hash by its compact record.
 * Replies 1 when the token owned the in-flight key, else 0.
 */
export const COMPLETE_SCRIPT = `
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local entry = redis.call('HMGET', KEYS[1], 'state', 'token', 'fp')
if entry[1] ~= 'in-flight' or entry[2] ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], '2' .. string.sub(entry[3], 1, 22) .. ARGV[2], 'PX', ARGV[3])
return 1
`;

/** ARGV: token. Replies 1 when the token owned the in-flight key (now deleted), else 0. */
export const RELEASE_SCRIPT = `
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;

/** Read-only. Replies {} (absent) | {'record', compact record} | {state, fp, outcome} of a hash. */
export const PEEK_SCRIPT = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'none' then return {} end
if kind == 'string' then return {'record', redis.call('GET', KEYS[1])} end
return redis.call('HMGET', KEYS[1], 'state', 'fp', 'outcome')
`;
