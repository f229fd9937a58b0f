#!lua name=pagewire_v3
-- Pagewire's updates in Redis (see notes/scale-out-on-redis.md). Redis runs one function at a
-- time, so minting an id and writing the update under it are one atomic step: when any reader
-- sees id N, every id below N is already written where it belongs.
--
-- Ids: max(last + 1, TIME in ms * 1024), strictly increasing, kept above every id handed out
-- before even after an AOF rollback (a restart takes longer than the lost second) or an emptied
-- Redis. Below 2^53 until the year 2248, so pages hold them as plain numbers. Stream entries use
-- "<id>-0". Every write is deduplicated by (node, push sequence): a node sends its pushes in
-- sequence order on one connection, so a replay after a reconnect, or a push that arrives after
-- a later one of the same node, is answered 0 and writes nothing.

local function fmt(n)
  return string.format('%.0f', n)
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function mint(last_key, now)
  local last = tonumber(redis.call('GET', last_key) or '0')
  local id = math.max(last + 1, now * 1024)
  redis.call('SET', last_key, fmt(id))
  return id, last
end

-- True when this node already sent this sequence number (or a later one).
local function seen(nodes_key, node, seq)
  local prev = tonumber(redis.call('HGET', nodes_key, node) or '-1')
  if seq <= prev then
    return true
  end
  redis.call('HSET', nodes_key, node, fmt(seq))
  return false
end

-- Lists topic `name` in the index of published topics, scored by its newest id `id`, and drops
-- the topics published last before the `keep` ms the scope streams keep.
local function index_topic(topics_key, name, id, now, keep)
  redis.call('ZADD', topics_key, fmt(id), name)
  if keep > 0 then
    redis.call('ZREMRANGEBYSCORE', topics_key, '-inf', '(' .. fmt((now - keep) * 1024))
  end
end

-- KEYS: last, nodes, feed, scope stream, floors, topics (the index of published topics)
-- ARGV: node, seq, scope name, payload, keep (ms of history the scope stream keeps), feed length
-- A broadcast or a push to a path or a topic: one entry, whatever the number of pages. A topic
-- (scope t:<name>) is also listed in the topics index, scored by its newest id, so a page loaded
-- from Redis finds the topics its wildcard subscriptions match that were published since its
-- cursor; the index keeps what the scope streams keep.
local function push_scope(keys, args)
  if seen(keys[2], args[1], tonumber(args[2])) then
    return 0
  end
  local now = now_ms()
  local id, prev = mint(keys[1], now)
  local sid = fmt(id) .. '-0'
  redis.call('XADD', keys[4], sid, 'u', args[4])
  local keep = tonumber(args[5])
  if keys[6] and string.sub(args[3], 1, 2) == 't:' then
    index_topic(keys[6], string.sub(args[3], 3), id, now, keep)
  end
  if keep > 0 then
    local cut = (now - keep) * 1024
    if redis.call('XTRIM', keys[4], 'MINID', fmt(cut) .. '-0') > 0 then
      local floor = tonumber(redis.call('HGET', keys[5], args[3]) or '0')
      if cut > floor then
        redis.call('HSET', keys[5], args[3], fmt(cut))
      end
    end
  end
  redis.call('XADD', keys[3], 'MAXLEN', '~', args[6], sid, 'k', 's', 'g', args[3], 'u', args[4], 'prev', fmt(prev))
  return fmt(id)
end

-- KEYS: last, nodes, feed, the topic's latest values ({prefix}l:<topic>, a hash), their ids
--       ({prefix}lk:<topic>, a sorted set of keys scored by id), topics (the index)
-- ARGV: node, seq, topic name, key, payload (without a version), keep (ms), feed length
-- The latest value of a key (Topic.publishLatest): the key's next version, counted here for
-- every node (hash field v:<key>), goes first in the payload; the value replaces the key's last
-- one (field u:<key>, and the key's score in lk:) instead of joining the topic's stream, so a page
-- catching up reads one value per key, the latest. Kept as long as the versions: for the life of
-- the Redis data (a bounded set of keys). The feed carries the key (field key).
local function push_latest(keys, args)
  if seen(keys[2], args[1], tonumber(args[2])) then
    return 0
  end
  local now = now_ms()
  local id, prev = mint(keys[1], now)
  local key = args[4]
  local version = redis.call('HINCRBY', keys[4], 'v:' .. key, 1)
  local payload = '"version":' .. fmt(version) .. ',' .. args[5]
  redis.call('HSET', keys[4], 'u:' .. key, payload)
  redis.call('ZADD', keys[5], fmt(id), key)
  index_topic(keys[6], args[3], id, now, tonumber(args[6]))
  redis.call('XADD', keys[3], 'MAXLEN', '~', args[7], fmt(id) .. '-0', 'k', 's', 'g', 't:' .. args[3], 'u', payload,
    'key', key, 'prev', fmt(prev))
  return fmt(id)
end

-- KEYS: last, nodes, feed, then one private stream per target page
-- ARGV: node, seq, payload, most updates a page keeps unacknowledged, page lifetime (ms), feed
--       length, then the target page ids (for the feed entry)
-- A push to chosen pages: one entry per page. A page whose queue is full loses its queued
-- updates to one resync marker (field r) numbered with this push's id, as in memory.
local function push_pages(keys, args)
  if seen(keys[2], args[1], tonumber(args[2])) then
    return 0
  end
  local id, prev = mint(keys[1], now_ms())
  local sid = fmt(id) .. '-0'
  local most = tonumber(args[4])
  for i = 4, #keys do
    if redis.call('XLEN', keys[i]) >= most then
      redis.call('DEL', keys[i])
      redis.call('XADD', keys[i], sid, 'r', '1')
    else
      redis.call('XADD', keys[i], sid, 'u', args[3])
    end
    redis.call('PEXPIRE', keys[i], args[5])
  end
  local targets = table.concat(args, ' ', 7)
  redis.call('XADD', keys[3], 'MAXLEN', '~', args[6], sid, 'k', 'p', 'g', targets, 'u', args[3], 'prev', fmt(prev))
  return fmt(id)
end

-- Adds to `found` the entries of stream `key` with ids in (after, up_to], at most `count`, each
-- as {id, kind, payload}: kind r for a resync marker, else `kind`. Returns how many it read and
-- the id of the last.
local function read_stream(found, key, after, up_to, count, kind)
  local entries = redis.call('XRANGE', key, '(' .. fmt(after) .. '-0', fmt(up_to) .. '-0', 'COUNT', count)
  local last = nil
  for _, e in ipairs(entries) do
    local fields = e[2]
    local k, payload = kind, ''
    for f = 1, #fields, 2 do
      if fields[f] == 'r' then
        k = 'r'
      elseif fields[f] == 'u' then
        payload = fields[f + 1]
      end
    end
    last = tonumber(string.match(e[1], '^(%d+)'))
    table.insert(found, { last, k, payload })
  end
  return #entries, last
end

-- Adds to `found` the latest value of each key of topic `name` (push_latest) that is newer than
-- `after` and at most `up_to`, at most `count`, each as {id, 's', payload, name, key}. Returns
-- how many it read.
local function read_latest(found, prefix, name, after, up_to, count)
  local ids = redis.call('ZRANGEBYSCORE', prefix .. 'lk:' .. name, '(' .. fmt(after), fmt(up_to),
    'WITHSCORES', 'LIMIT', 0, count)
  for i = 1, #ids, 2 do
    local payload = redis.call('HGET', prefix .. 'l:' .. name, 'u:' .. ids[i])
    table.insert(found, { tonumber(ids[i + 1]), 's', payload, name, ids[i] })
  end
  return #ids / 2
end

-- Appends `found`, sorted by id, to `out` as id, kind, payload, topic, key quintuples (topic and
-- key '' but for a latest value), up to id `up_to`.
local function append_sorted(out, found, up_to)
  table.sort(found, function(a, b) return a[1] < b[1] end)
  for _, f in ipairs(found) do
    if f[1] <= up_to then
      table.insert(out, fmt(f[1]))
      table.insert(out, f[2])
      table.insert(out, f[3])
      table.insert(out, f[4] or '')
      table.insert(out, f[5] or '')
    end
  end
  return out
end

-- KEYS: last, floors, the page's private stream, then the streams of its scopes
-- ARGV: after (the page's cursor), most entries to read per stream, then the scope names
-- Returns {upTo, resync, id1, kind1, payload1, topic1, key1, ...} in id order (the streams only:
-- no topic's latest values). Prefix-complete: the page has every update meant for it with an id
-- in (after, upTo]. A stream read cut short by the count lowers upTo to its last entry, and
-- nothing above upTo is returned.
local function pull(keys, args)
  local after = tonumber(args[1])
  local most = tonumber(args[2])
  local up_to = tonumber(redis.call('GET', keys[1]) or '0')
  if up_to < after then
    up_to = after
  end
  local resync = 0
  local found = {}
  for i = 3, #keys do
    if i > 3 then
      local floor = tonumber(redis.call('HGET', keys[2], args[i - 1]) or '0')
      if after + 1 < floor then
        resync = 1
      end
    end
    local read, last = read_stream(found, keys[i], after, up_to, most, 'u')
    if read == most and last < up_to then
      up_to = last
    end
  end
  return append_sorted({ fmt(up_to), resync }, found, up_to)
end

-- KEYS: the page's private stream. ARGV: upTo. Drops what the page has; idempotent.
local function ack(keys, args)
  redis.call('XTRIM', keys[1], 'MINID', fmt(tonumber(args[1]) + 1) .. '-0')
  if redis.call('XLEN', keys[1]) == 0 then
    redis.call('DEL', keys[1])
  end
  return 1
end

-- Pages. A page is a hash {prefix}p:<id> (path, b browser, s start cursor) with a lifetime
-- (PEXPIRE, refreshed by touches), listed in {prefix}pages (score: deadline, for the total cap)
-- and in its browser's {prefix}b:<browser> (score: last seen, for the per-browser cap). Its
-- private stream is {prefix}q:<id>. Keys of other pages and of scopes are named from the prefix
-- inside these functions: one Redis primary holds them all (see docs/SCALING.md).

-- Takes page `id` out of the subscribers of `pattern` ({prefix}tp:<pattern>, a set of page ids;
-- {prefix}patterns lists the patterns that have subscribers).
local function leave(prefix, id, pattern)
  local set = prefix .. 'tp:' .. pattern
  redis.call('SREM', set, id)
  if redis.call('SCARD', set) == 0 then
    redis.call('SREM', prefix .. 'patterns', pattern)
  end
end

-- Ends a page: its keys go, and a feed entry (kind e) tells every node. False if it was gone.
local function end_page(prefix, feed, last_key, feed_len, id)
  local hash = prefix .. 'p:' .. id
  local browser = redis.call('HGET', hash, 'b')
  if not browser then
    return false
  end
  for _, field in ipairs(redis.call('HKEYS', hash)) do
    if string.sub(field, 1, 2) == 't:' then
      leave(prefix, id, string.sub(field, 3))
    end
  end
  redis.call('DEL', hash, prefix .. 'q:' .. id)
  redis.call('ZREM', prefix .. 'pages', id)
  redis.call('ZREM', prefix .. 'b:' .. browser, id)
  local eid, prev = mint(last_key, now_ms())
  redis.call('XADD', feed, 'MAXLEN', '~', feed_len, fmt(eid) .. '-0', 'k', 'e', 'g', id, 'u', '', 'prev', fmt(prev))
  return true
end

-- KEYS: last, feed. ARGV: prefix, feed length, page id, path, browser, life (ms), max pages,
-- max pages per browser. Returns {start} and the ids of the browser's pages ended to make room,
-- or {-1} when the cluster holds its maximum. Run twice, it finds the page and changes nothing.
local function create(keys, args)
  local prefix, feed_len, id, path, browser = args[1], args[2], args[3], args[4], args[5]
  local life, max_pages, max_per_browser = tonumber(args[6]), tonumber(args[7]), tonumber(args[8])
  local hash = prefix .. 'p:' .. id
  local start = redis.call('HGET', hash, 's')
  if start then
    return { start }
  end
  local now = now_ms()
  local pages = prefix .. 'pages'
  redis.call('ZREMRANGEBYSCORE', pages, '-inf', now)
  if redis.call('ZCARD', pages) >= max_pages then
    return { '-1' }
  end
  start = redis.call('GET', keys[1]) or '0'
  redis.call('HSET', hash, 'path', path, 'b', browser, 's', start)
  redis.call('PEXPIRE', hash, life)
  redis.call('ZADD', pages, now + life, id)
  local mine = prefix .. 'b:' .. browser
  redis.call('ZADD', mine, now, id)
  redis.call('PEXPIRE', mine, life)
  local out = { start }
  local members = redis.call('ZRANGE', mine, 0, -1)
  local live = {}
  for _, m in ipairs(members) do
    if redis.call('EXISTS', prefix .. 'p:' .. m) == 1 then
      table.insert(live, m)
    else
      redis.call('ZREM', mine, m)
    end
  end
  local over = #live - max_per_browser
  for i = 1, over do
    if end_page(prefix, keys[2], keys[1], feed_len, live[i]) then
      table.insert(out, live[i])
    end
  end
  return out
end

-- Whether topic `name` is one that pattern `pattern` means: a segment * is any one segment, a
-- last segment ** one or more segments (as TopicPattern.matches).
local function topic_matches(pattern, name)
  local want, have = {}, {}
  for s in string.gmatch(pattern, '[^/]+') do
    table.insert(want, s)
  end
  for s in string.gmatch(name, '[^/]+') do
    table.insert(have, s)
  end
  for i, s in ipairs(want) do
    if s == '**' then
      return #have >= i
    end
    if i > #have or (s ~= '*' and s ~= have[i]) then
      return false
    end
  end
  return #want == #have
end

-- The page's subscriptions (hash fields t:<pattern>, valued the id of the subscribe) and the
-- topic scopes they mean for a cursor: a list of patterns, and scope name -> the id to read it
-- after (the cursor, or the subscribe if later: nothing published before it). A wildcard is
-- matched against the topics published after the cursor (the topics index).
local function subscribed(hash, topics_key, after)
  local fields = redis.call('HGETALL', hash)
  local patterns, scopes, recent = {}, {}, nil
  for f = 1, #fields, 2 do
    if string.sub(fields[f], 1, 2) == 't:' then
      local pattern = string.sub(fields[f], 3)
      local from = math.max(after, tonumber(fields[f + 1]))
      table.insert(patterns, pattern)
      local names = { pattern }
      if string.find(pattern, '*', 1, true) then
        recent = recent or redis.call('ZRANGEBYSCORE', topics_key, '(' .. fmt(after), '+inf')
        names = {}
        for _, name in ipairs(recent) do
          if topic_matches(pattern, name) then
            table.insert(names, name)
          end
        end
      end
      for _, name in ipairs(names) do
        local scope = 't:' .. name
        scopes[scope] = math.min(scopes[scope] or from, from)
      end
    end
  end
  return patterns, scopes
end

-- KEYS: last, floors, the page's hash, its private stream. ARGV: after (the page's cursor), most
-- updates the page may be behind, prefix, idle (ms). The page was heard from: its lifetime starts
-- again, as a touch does. Returns {'gone'} for an unknown page, else {upTo, resync, path,
-- browser, n, pattern1..patternN, id1, kind1, payload1, topic1, key1, ...}: the page's n topic
-- subscriptions, then its updates, kind p (private), s (shared: everyone, its path, its topics)
-- or r (resync marker), with the topic and key of a latest value ('' for others). Of a topic's
-- latest values (push_latest) it gets one per key, the newest after its cursor: bounded by keys.
-- A page more than `most` updates behind in one stream (or `most` keys of one topic), or behind a
-- trimmed scope, gets resync = 1 and no updates: it must start again from upTo.
local function load(keys, args)
  local page = redis.call('HMGET', keys[3], 'path', 'b', 's')
  if not page[1] then
    return { 'gone' }
  end
  local after = math.max(tonumber(args[1]), tonumber(page[3]))
  local most = tonumber(args[2])
  local prefix = args[3]
  local idle = tonumber(args[4])
  redis.call('PEXPIRE', keys[3], idle)
  redis.call('PEXPIRE', keys[4], idle)
  redis.call('ZADD', prefix .. 'pages', now_ms() + idle, string.sub(keys[3], #prefix + 3))
  local up_to = math.max(tonumber(redis.call('GET', keys[1]) or '0'), after)
  local patterns, scopes = subscribed(keys[3], prefix .. 'topics', after)
  scopes['all'] = after
  scopes['h:' .. page[1]] = after
  local resync = 0
  local streams = { { keys[4], 'p', after } }
  for scope, from in pairs(scopes) do
    local floor = tonumber(redis.call('HGET', keys[2], scope) or '0')
    if from + 1 < floor then
      resync = 1
    end
    table.insert(streams, { prefix .. 's:' .. scope, 's', from })
  end
  local found = {}
  for _, st in ipairs(streams) do
    if resync == 0 and read_stream(found, st[1], st[3], up_to, most + 1, st[2]) > most then
      resync = 1
    end
  end
  for scope, from in pairs(scopes) do
    if resync == 0 and string.sub(scope, 1, 2) == 't:'
        and read_latest(found, prefix, string.sub(scope, 3), from, up_to, most + 1) > most then
      resync = 1
    end
  end
  local out = { fmt(up_to), resync, page[1], page[2], #patterns }
  for _, pattern in ipairs(patterns) do
    table.insert(out, pattern)
  end
  if resync == 1 then
    return out
  end
  return append_sorted(out, found, up_to)
end

-- KEYS: last, feed. ARGV: prefix, feed length, page id, pattern, 1 to subscribe or 0 to
-- unsubscribe, the page's attributes (JSON, kept at a subscribe). Records the page's subscription
-- in its hash (field t:<pattern>, valued the id of the subscribe; a second subscribe keeps the
-- first id; field a: the attributes) and in the pattern's subscribers, and tells every node with
-- a feed entry (kind u, payload +pattern or -pattern). Returns its id, or 0 for an unknown page.
local function subscribe(keys, args)
  local prefix, feed_len, id, pattern, on = args[1], args[2], args[3], args[4], args[5] == '1'
  local hash = prefix .. 'p:' .. id
  if redis.call('HEXISTS', hash, 'b') == 0 then
    return '0'
  end
  local sid, prev = mint(keys[1], now_ms())
  if on then
    redis.call('HSETNX', hash, 't:' .. pattern, fmt(sid))
    redis.call('HSET', hash, 'a', args[6])
    redis.call('SADD', prefix .. 'tp:' .. pattern, id)
    redis.call('SADD', prefix .. 'patterns', pattern)
  else
    redis.call('HDEL', hash, 't:' .. pattern)
    leave(prefix, id, pattern)
  end
  redis.call('XADD', keys[2], 'MAXLEN', '~', feed_len, fmt(sid) .. '-0', 'k', 'u', 'g', id,
    'u', (on and '+' or '-') .. pattern, 'prev', fmt(prev))
  return fmt(sid)
end

-- KEYS: none. ARGV: prefix, idle (ms), then page ids. Pages heard from: their lifetime starts
-- again. Returns the ids of those that no longer exist.
local function touch(keys, args)
  local prefix, idle = args[1], tonumber(args[2])
  local now = now_ms()
  local gone = {}
  for i = 3, #args do
    local id = args[i]
    local hash = prefix .. 'p:' .. id
    local browser = redis.call('HGET', hash, 'b')
    if browser then
      redis.call('PEXPIRE', hash, idle)
      redis.call('PEXPIRE', prefix .. 'q:' .. id, idle)
      redis.call('ZADD', prefix .. 'pages', now + idle, id)
      local mine = prefix .. 'b:' .. browser
      redis.call('ZADD', mine, now, id)
      redis.call('PEXPIRE', mine, idle)
    else
      table.insert(gone, id)
    end
  end
  return gone
end

-- KEYS: none. ARGV: prefix, then page ids. Returns those still live.
local function live(keys, args)
  local out = {}
  for i = 2, #args do
    if redis.call('EXISTS', args[1] .. 'p:' .. args[i]) == 1 then
      table.insert(out, args[i])
    end
  end
  return out
end

-- KEYS: last, feed. ARGV: prefix, feed length, page id. Idempotent.
local function finish(keys, args)
  return end_page(args[1], keys[2], keys[1], args[2], args[3]) and 1 or 0
end

-- KEYS: last, feed. ARGV: prefix, feed length, browser key. Ends every page of that browser.
local function finish_browser(keys, args)
  local ended = 0
  for _, id in ipairs(redis.call('ZRANGE', args[1] .. 'b:' .. args[3], 0, -1)) do
    if end_page(args[1], keys[2], keys[1], args[2], id) then
      ended = ended + 1
    end
  end
  redis.call('DEL', args[1] .. 'b:' .. args[3])
  return ended
end

-- KEYS: none. ARGV: prefix, topic name. The live pages subscribed by a pattern matching the
-- name, each once, as id, path, start cursor, attributes (JSON) quadruples; pages that expired
-- are dropped from the patterns' subscribers on the way.
local function subscribers(keys, args)
  local prefix, name = args[1], args[2]
  local out, listed = {}, {}
  for _, pattern in ipairs(redis.call('SMEMBERS', prefix .. 'patterns')) do
    if topic_matches(pattern, name) then
      for _, id in ipairs(redis.call('SMEMBERS', prefix .. 'tp:' .. pattern)) do
        local page = redis.call('HMGET', prefix .. 'p:' .. id, 'path', 's', 'a')
        if not page[1] then
          leave(prefix, id, pattern)
        elseif not listed[id] then
          listed[id] = true
          table.insert(out, id)
          table.insert(out, page[1])
          table.insert(out, page[2])
          table.insert(out, page[3] or '{}')
        end
      end
    end
  end
  return out
end

redis.register_function('pw3_push_scope', push_scope)
redis.register_function('pw3_push_latest', push_latest)
redis.register_function('pw3_push_pages', push_pages)
redis.register_function{function_name = 'pw3_pull', callback = pull, flags = {'no-writes'}}
redis.register_function('pw3_ack', ack)
redis.register_function('pw3_create', create)
redis.register_function('pw3_load', load)
redis.register_function('pw3_touch', touch)
redis.register_function{function_name = 'pw3_live', callback = live, flags = {'no-writes'}}
redis.register_function('pw3_end', finish)
redis.register_function('pw3_subscribe', subscribe)
redis.register_function('pw3_subscribers', subscribers)
redis.register_function('pw3_end_browser', finish_browser)
