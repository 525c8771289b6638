import Core

/// The queue's atomic steps, as Lua run inside Redis.
///
/// Fencing tokens come from Redis's own clock (microseconds) and never go backwards for a job,
/// even if Redis lost the job's hash: a new lease always outranks every older one, in Redis and
/// in PostgreSQL's copy.
enum QueueScripts {
    /// Puts a job on the stream. KEYS: hash, stream, events. ARGV: job id, kind, only-if-missing.
    static let publish = RedisScript("""
        if ARGV[3] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if redis.call('HGET', KEYS[1], 'state') == 'running' then return 0 end
        redis.call('HSET', KEYS[1], 'state', 'queued', 'kind', ARGV[2], 'cancel', '0', 'owner', '')
        redis.call('PERSIST', KEYS[1])
        redis.call('XADD', KEYS[2], '*', 'job', ARGV[1])
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', '200', '*', 'type', 'state', 'data', '{"state":"queued"}')
        return 1
        """)

    /// Takes a lease. KEYS: hash, events. ARGV: worker, lease ms.
    /// Returns {token, state}; token "0" means: do not run (finished, cancelled or unknown).
    static let claim = RedisScript("""
        local state = redis.call('HGET', KEYS[1], 'state')
        if state ~= 'queued' and state ~= 'running' then return {'0', state or 'missing'} end
        if redis.call('HGET', KEYS[1], 'cancel') == '1' then return {'0', 'cancelled'} end
        local t = redis.call('TIME')
        local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local last = tonumber(redis.call('HGET', KEYS[1], 'lease') or '0')
        local token = string.format('%.0f', math.max(last + 1, now_us))
        redis.call('HSET', KEYS[1], 'state', 'running', 'owner', ARGV[1], 'lease', token,
                   'lease_until', string.format('%.0f', math.floor(now_us / 1000) + tonumber(ARGV[2])))
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', '200', '*', 'type', 'state', 'data', '{"state":"running"}')
        return {token, 'running'}
        """)

    /// Renews a lease and resets the stream entry's idle time. KEYS: hash, stream.
    /// ARGV: token, lease ms, group, worker, entry id. Returns -1 lost, 1 cancel requested, 0 fine.
    static let renew = RedisScript("""
        if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] then return -1 end
        local t = redis.call('TIME')
        redis.call('HSET', KEYS[1], 'lease_until', string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])))
        redis.call('XCLAIM', KEYS[2], ARGV[3], ARGV[4], 0, ARGV[5], 'JUSTID')
        if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 1 end
        return 0
        """)

    /// Records progress under the lease. KEYS: hash, events. ARGV: token, progress JSON.
    /// Returns -1 lost, 1 cancel requested, 0 fine.
    static let progress = RedisScript("""
        if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] then return -1 end
        redis.call('HSET', KEYS[1], 'progress', ARGV[2])
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', '200', '*', 'type', 'progress', 'data', ARGV[2])
        if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 1 end
        return 0
        """)

    /// Ends a run under its lease: acknowledges the entry and records the new state; `queued`
    /// schedules a retry, `dead` adds a dead letter. KEYS: hash, stream, events, dead, delayed.
    /// ARGV: token, group, entry, state, event JSON, job id, retry-at ms, keep seconds.
    static let finish = RedisScript("""
        if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] then return 0 end
        redis.call('XACK', KEYS[2], ARGV[2], ARGV[3])
        redis.call('XDEL', KEYS[2], ARGV[3])
        redis.call('HSET', KEYS[1], 'state', ARGV[4], 'owner', '')
        if ARGV[4] == 'dead' then redis.call('LPUSH', KEYS[4], ARGV[6]) end
        if ARGV[4] == 'queued' then redis.call('ZADD', KEYS[5], ARGV[7], ARGV[6]) end
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', '200', '*', 'type', 'state', 'data', ARGV[5])
        if ARGV[4] ~= 'queued' then
            redis.call('EXPIRE', KEYS[1], ARGV[8])
            redis.call('EXPIRE', KEYS[3], ARGV[8])
        end
        return 1
        """)

    /// Moves retries that are due back onto the stream. KEYS: delayed, stream. ARGV: limit.
    static let promote = RedisScript("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
        for _, id in ipairs(due) do
            redis.call('ZREM', KEYS[1], id)
            redis.call('XADD', KEYS[2], '*', 'job', id)
        end
        return #due
        """)

    /// Flags a job for cancellation. KEYS: hash, events.
    static let cancel = RedisScript("""
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'cancel', '1')
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', '200', '*', 'type', 'cancel_requested', 'data', '{"cancel_requested":true}')
        return 1
        """)
}
