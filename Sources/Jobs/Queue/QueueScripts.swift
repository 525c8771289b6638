import Redis

/// The queue's atomic steps, as Lua run inside Redis.
///
/// Fencing tokens come from Redis's own clock (microseconds) and never go backwards for a job,
/// even if Redis lost the job's hash: a new lease always outranks every older one, in Redis and
/// in PostgreSQL's copy.
enum QueueScripts {
    /// Puts jobs on the stream. KEYS: stream, events, then one hash per job.
    /// ARGV: only-if-missing, then job id, kind and owner per job. Returns how many were published.
    static let publish = RedisScript("""
        local published = 0
        for i = 3, #KEYS do
            local id, kind, user = ARGV[3 * (i - 3) + 2], ARGV[3 * (i - 3) + 3], ARGV[3 * (i - 3) + 4]
            local skip = (ARGV[1] == '1' and redis.call('EXISTS', KEYS[i]) == 1) or redis.call('HGET', KEYS[i], 'state') == 'running'
            if not skip then
                redis.call('HSET', KEYS[i], 'state', 'queued', 'kind', kind, 'cancel', '0', 'owner', '', 'user', user)
                redis.call('PERSIST', KEYS[i])
                redis.call('XADD', KEYS[1], '*', 'job', id)
                redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', 'job', id, 'type', 'state', 'data', '{"state":"queued"}')
                published = published + 1
            end
        end
        return published
        """)

    /// Takes leases, at most one running job per user. KEYS: events, stream, delayed, running
    /// (user → job), then one hash per job. ARGV: worker, lease ms, group, key prefix, then job id
    /// and stream entry per job. Returns one token per job; "0" means: do not run (finished,
    /// cancelled or unknown); "-1": its user has another job running, so it waits (in the
    /// delayed set and the user's waiting set: the running job's end wakes it, a lease later at
    /// the latest), its entry closed here.
    /// Tokens come from Redis's clock in microseconds and never go below a job's last token.
    static let claim = RedisScript("""
        local t = redis.call('TIME')
        local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local now_ms = math.floor(now_us / 1000)
        local until_ms = string.format('%.0f', now_ms + tonumber(ARGV[2]))
        local tokens = {}
        for i = 5, #KEYS do
            local id, entry = ARGV[2 * (i - 5) + 5], ARGV[2 * (i - 5) + 6]
            local state = redis.call('HGET', KEYS[i], 'state')
            local user = redis.call('HGET', KEYS[i], 'user') or ''
            local waiting = ARGV[4] .. ':jobs:waiting:' .. user
            local busy = false
            if user ~= '' then
                local holder = redis.call('HGET', KEYS[4], user)
                if holder and holder ~= id then
                    local held = redis.call('HMGET', ARGV[4] .. ':job:' .. holder, 'state', 'lease_until')
                    busy = held[1] == 'running' and tonumber(held[2] or '0') > now_ms
                end
            end
            if (state ~= 'queued' and state ~= 'running') or redis.call('HGET', KEYS[i], 'cancel') == '1' then
                if user ~= '' then redis.call('ZREM', waiting, id) end
                tokens[#tokens + 1] = '0'
            elseif busy then
                redis.call('XACK', KEYS[2], ARGV[3], entry)
                redis.call('XDEL', KEYS[2], entry)
                redis.call('ZADD', KEYS[3], until_ms, id)
                redis.call('ZADD', waiting, 'NX', now_ms, id)
                tokens[#tokens + 1] = '-1'
            else
                if user ~= '' then
                    redis.call('HSET', KEYS[4], user, id)
                    redis.call('ZREM', waiting, id)
                end
                local last = tonumber(redis.call('HGET', KEYS[i], 'lease') or '0')
                local token = string.format('%.0f', math.max(last + 1, now_us))
                redis.call('HSET', KEYS[i], 'state', 'running', 'owner', ARGV[1], 'lease', token, 'lease_until', until_ms)
                redis.call('XADD', KEYS[1], 'MAXLEN', '~', '10000', '*', 'job', id, 'type', 'state', 'data', '{"state":"running"}')
                tokens[#tokens + 1] = token
            end
        end
        return tokens
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

    /// Records progress under the lease. KEYS: hash, events. ARGV: token, progress JSON, job id.
    /// Returns -1 lost, 1 cancel requested, 0 fine.
    static let progress = RedisScript("""
        if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] then return -1 end
        redis.call('HSET', KEYS[1], 'progress', ARGV[2])
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', 'job', ARGV[3], 'type', 'progress', 'data', ARGV[2])
        if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 1 end
        return 0
        """)

    /// Ends runs under their leases: acknowledges each entry and records the new state; `queued`
    /// schedules a retry, `dead` adds a dead letter. A run that was its user's running job lets
    /// the user's longest-waiting job onto the stream. KEYS: stream, events, dead, delayed,
    /// running, then one hash per run. ARGV: group, keep seconds, key prefix, then token,
    /// entry, state, job id, retry-at ms per run. Returns 1 per run whose lease held, else 0.
    static let finish = RedisScript("""
        local results = {}
        for i = 6, #KEYS do
            local base = 5 * (i - 6) + 3
            local token, entry, state, id, retry_at = ARGV[base + 1], ARGV[base + 2], ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
            if redis.call('HGET', KEYS[i], 'lease') ~= token then
                results[#results + 1] = 0
            else
                redis.call('XACK', KEYS[1], ARGV[1], entry)
                redis.call('XDEL', KEYS[1], entry)
                redis.call('HSET', KEYS[i], 'state', state, 'owner', '')
                if state == 'dead' then redis.call('LPUSH', KEYS[3], id) end
                if state == 'queued' then redis.call('ZADD', KEYS[4], retry_at, id) else redis.call('EXPIRE', KEYS[i], ARGV[2]) end
                redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', 'job', id, 'type', 'state', 'data', '{"state":"' .. state .. '"}')
                local user = redis.call('HGET', KEYS[i], 'user') or ''
                if user ~= '' and redis.call('HGET', KEYS[5], user) == id then
                    redis.call('HDEL', KEYS[5], user)
                    local waiting = ARGV[3] .. ':jobs:waiting:' .. user
                    while true do
                        local waiter = redis.call('ZRANGE', waiting, 0, 0)[1]
                        if not waiter then break end
                        redis.call('ZREM', waiting, waiter)
                        -- Whoever takes a job out of the delayed set puts it on the stream: never twice.
                        if redis.call('ZREM', KEYS[4], waiter) == 1 then
                            redis.call('XADD', KEYS[1], '*', 'job', waiter)
                            local hash = redis.call('HMGET', ARGV[3] .. ':job:' .. waiter, 'state', 'cancel')
                            if hash[1] == 'queued' and hash[2] ~= '1' then break end
                        end
                    end
                end
                results[#results + 1] = 1
            end
        end
        return results
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

    /// Flags a job for cancellation. KEYS: hash, events. ARGV: job id.
    static let cancel = RedisScript("""
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'cancel', '1')
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', 'job', ARGV[1], 'type', 'cancel_requested', 'data', '{"cancel_requested":true}')
        return 1
        """)
}
