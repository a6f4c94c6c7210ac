-- Sample rows for every example, loaded by the sandbox after examples/schema.sql. Spread over time so
-- that each job has something to do and something to leave alone; repeatable (no random()).

-- 25,000 users: a third made requests today (request-count-reset), none scored yet
-- (user-score-recalculation: three batches of at most 10,000).
INSERT INTO public.users (email, created_at, daily_request_count, last_request_at)
SELECT 'user' || i || '@example.com',
       now() - (i % 400) * interval '1 day',
       CASE WHEN i % 3 = 0 THEN i % 97 + 1 ELSE 0 END,
       CASE WHEN i % 4 = 0 THEN now() - (i % 10) * interval '1 day' END
FROM generate_series(1, 25000) AS i;

-- 60,000 log lines over the last 5 days: those older than 2 days go (log-cleanup).
INSERT INTO public.system_logs ("timestamp", level, source, message)
SELECT now() - (i * interval '7 seconds'),
       (ARRAY['debug', 'info', 'info', 'warn', 'error'])[i % 5 + 1],
       (ARRAY['api', 'worker', 'scheduler'])[i % 3 + 1],
       'request ' || i || ' handled'
FROM generate_series(1, 60000) AS i;

-- Rate-limit windows over the last 3 days: those older than a day go (rate-limit-cleanup).
INSERT INTO public.rate_limits (identifier, endpoint, window_start, request_count)
SELECT 'client-' || (i % 200), (ARRAY['/api/transcribe', '/api/search'])[i % 2 + 1],
       date_trunc('minute', now()) - i * interval '1 minute', i % 50 + 1
FROM generate_series(1, 4320) AS i;

-- 50 creators with 40 posts each (instagram-creator-stats rolls them up).
INSERT INTO public.instagram_creators (username, full_name, follower_count)
SELECT 'creator_' || i, 'Creator ' || i, 1000 * i
FROM generate_series(1, 50) AS i;

INSERT INTO public.instagram_posts (creator_id, shortcode, caption, posted_at, like_count, comment_count)
SELECT c.id, 'C' || c.id || 'P' || p, 'post ' || p, now() - p * interval '9 hours', (c.id * 37 + p * 11) % 900, (c.id + p) % 40
FROM public.instagram_creators c, generate_series(1, 40) AS p;

-- 20 proxies and 12,000 requests through them over the last 2 days (proxy-success-rates reads 24 hours).
INSERT INTO public.proxies (host, port)
SELECT '10.0.0.' || i, 3128
FROM generate_series(1, 20) AS i;

INSERT INTO public.proxy_request_logs (proxy_id, success, status_code, response_time_ms, created_at)
SELECT p.id, (r + p.id) % 10 < 10 - p.id % 4, CASE WHEN (r + p.id) % 10 < 10 - p.id % 4 THEN 200 ELSE 502 END,
       100 + r % 400, now() - r * interval '29 seconds'
FROM public.proxies p, generate_series(1, 600) AS r;

-- 40 transcriptions over the last 60 days, each with its audio file (stored in the stub Storage by the
-- sandbox): those older than 30 days lose their file (audio-cleanup). Most have a Deepgram request id and
-- no cost yet (transcription-cost-update); one is unknown to Deepgram, one was never sent there.
INSERT INTO public.transcriptions (user_id, audio_path, duration_seconds, stt_provider_request_id, created_at)
SELECT i * 600, 'user-' || (i * 600) || '/recording-' || i || '.webm', 30 + i % 300,
       CASE WHEN i % 25 = 0 THEN NULL
            WHEN i % 30 = 0 THEN '3f2a6c1e-0d5b-4c1e-9a57-2b7d8e4f6a10.missing-' || i
            ELSE '3f2a6c1e-0d5b-4c1e-9a57-2b7d8e4f6a10.' || md5('request' || i) END,
       now() - i * interval '36 hours' + interval '1 hour'
FROM generate_series(1, 40) AS i;

-- 45 days of events up to today, one partition per day as pg_partman 4 named them (events-partitions judges
-- partitions by their bounds, not their names), a row every 10 minutes: events-partitions drops the days older
-- than 30 and makes today's partition and the week's after it.
DO $$
DECLARE
    d date;
BEGIN
    FOR d IN SELECT (now() AT TIME ZONE 'UTC')::date + g FROM generate_series(-45, -1) AS g LOOP
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.events FOR VALUES FROM (%L) TO (%L)',
                       'events_p' || to_char(d, 'YYYY_MM_DD'), d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
    END LOOP;
END
$$;

INSERT INTO public.events (user_id, kind, created_at)
SELECT i % 500, (ARRAY['page_view', 'click', 'signup'])[i % 3 + 1],
       date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - i * interval '10 minutes'
FROM generate_series(1, 45 * 144) AS i;
