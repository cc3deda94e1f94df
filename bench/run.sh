#!/usr/bin/env bash
# The side-by-side endpoint benchmark of docs/benchmarks.md, in one command:
#
#   bench/run.sh
#
# On one machine, loopback only: PostgreSQL 15 (fsync and synchronous commit on, pg_stat_statements),
# an nginx sink standing in for PostHog (it keeps every request body, for the exactly-once check),
# an nginx reverse proxy to that sink, a bare Spring Boot MVC app (bench/bare-app) and the packaged
# gateway, both with the same JVM flags. Signs in BENCH_USERS users (a quarter of them
# non-anonymized), then drives with wrk, in turns, each after a warm-up: the proxy, the bare app,
# capture with one event, capture with a batch of 50. Prints one table, the ratios, and whether
# every accepted event reached the sink exactly once.
#
# Installs what is missing from Debian packages (wrk, nginx, postgresql) and builds what is missing
# (./mvnw -DskipTests package; ./mvnw -f bench/bare-app/pom.xml -DskipTests package).
#
# Settings (environment): BENCH_DURATION (20s), BENCH_WARMUP (60s: a shorter one measures the JIT still compiling), BENCH_CONNECTIONS (32),
# BENCH_THREADS (2), BENCH_USERS (32), BENCH_JAVA_OPTS (the JVM flags of both apps, default below),
# GATEWAY_JAR (target/analytics-gateway.jar), BENCH_JFR=1 (a JFR recording of the gateway),
# BENCH_PG_OPTS (more PostgreSQL flags, such as "-c max_wal_size=4GB", for A/B runs of a setting),
# BENCH_WORK (a work directory, kept afterwards; default a fresh one under /tmp, removed),
# BENCH_ROUTES (a subset of "nginx-proxy bare-app capture-1 capture-50", for A/B runs of one route;
# add "soak" for the long run at half the peak below), GATEWAY_JAVA (the java command of the gateway
# alone, e.g. another JDK's; the bare app keeps the default java, so it stays the same yardstick),
# BENCH_SOAK_DURATION (10m): with "soak", capture with one event at about half the rate capture-1
# reached, for that long, the gateway's RSS (VmRSS) sampled every 10 s into soak-rss.txt.
# Any SECOND_* or SERVER_* variable set by the caller reaches the gateway (e.g.
# SECOND_DELIVERY_WRITER_THREADS=4 bench/run.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-60s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
USERS=${BENCH_USERS:-32}
# The gateway's production flags (Dockerfile, README): a fixed heap, so RSS stays bounded.
JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xms256m -Xmx256m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+UseSerialGC -XX:+AlwaysPreTouch"}
GATEWAY_JAR=${GATEWAY_JAR:-$ROOT/target/analytics-gateway.jar}
BARE_JAR=$ROOT/bench/bare-app/target/bare-app.jar
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${BENCH_PG_PORT:-55432}
SINK_PORT=${BENCH_SINK_PORT:-58081}
PROXY_PORT=${BENCH_PROXY_PORT:-58082}
BARE_PORT=${BENCH_BARE_PORT:-58083}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-58080}
MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-58084}

log() { printf '== %s %s\n' "$(date +%T)" "$*" >&2; }

# --- what the run needs ---------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x "$PG_BIN/postgres" ] || missing+=(postgresql)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get install -y "${missing[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -f "$GATEWAY_JAR" ] || { log "building the gateway"; (cd "$ROOT" && ./mvnw -q -DskipTests package); }
[ -f "$BARE_JAR" ] || { log "building the bare app"; (cd "$ROOT" && ./mvnw -q -f bench/bare-app/pom.xml -DskipTests package); }

if [ -n "${BENCH_WORK:-}" ]; then WORK=$BENCH_WORK; KEEP=1; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/bench.XXXXXX); KEEP=0; fi
chmod 755 "$WORK"
PIDS=()
cleanup() {
  # runuser does not pass signals on: stop PostgreSQL by its own pid (a fast shutdown)
  local postmaster
  postmaster=$(head -1 "$WORK/pg/data/postmaster.pid" 2>/dev/null || true)
  [ -n "$postmaster" ] && kill -INT "$postmaster" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ "$KEEP" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_gw() { "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" -U bench -d gateway -v ON_ERROR_STOP=1 "$@"; }
# Undelivered events: from V9 a backlog row is a commit of event_count events; a jar from before it
# (GATEWAY_JAR, for an A/B run) keeps a row per event.
backlog_events() {
  if [ "$(psql_gw -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'delivery_backlog' AND column_name = 'event_count'")" = 1 ]; then
    psql_gw -c 'SELECT coalesce(sum(event_count), 0) FROM delivery_backlog'
  else
    psql_gw -c 'SELECT count(*) FROM delivery_backlog'
  fi
}

# --- PostgreSQL 15, durable -----------------------------------------------------------------------
log "PostgreSQL on 127.0.0.1:$PG_PORT (fsync on, synchronous_commit on)"
mkdir -p "$WORK/pg"
if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then echo "port $PG_PORT is taken: set BENCH_PG_PORT" >&2; exit 1; fi
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
as_postgres "$PG_BIN/initdb" -D "$WORK/pg/data" -U bench --auth=trust >/dev/null
as_postgres "$PG_BIN/postgres" -D "$WORK/pg/data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$WORK/pg" -c fsync=on -c synchronous_commit=on -c max_connections=100 \
  -c shared_buffers=128MB -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all \
  -c log_autovacuum_min_duration=0 ${BENCH_PG_OPTS:-} > "$WORK/postgres.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do [ -f "$WORK/pg/data/postmaster.pid" ] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.5; done
"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U bench -d postgres -c "CREATE DATABASE gateway" >/dev/null
psql_gw -c "CREATE EXTENSION pg_stat_statements" >/dev/null

# --- nginx: the PostHog sink and the reverse proxy ------------------------------------------------
log "nginx sink on :$SINK_PORT, proxy on :$PROXY_PORT"
mkdir -p "$WORK/nginx/bodies" "$WORK/nginx/temp"
chmod 777 "$WORK/nginx/bodies" "$WORK/nginx/temp"
NGINX_USER=""
[ "$(id -u)" = 0 ] && NGINX_USER="user nobody nogroup;"
cat > "$WORK/nginx/nginx.conf" <<NGINX
$NGINX_USER
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/temp;
  proxy_temp_path $WORK/nginx/temp;
  fastcgi_temp_path $WORK/nginx/temp;
  uwsgi_temp_path $WORK/nginx/temp;
  scgi_temp_path $WORK/nginx/temp;
  keepalive_requests 1000000;
  upstream sink { server 127.0.0.1:$SINK_PORT; keepalive 64; }
  # PostHog: /batch/ keeps every body in a file of its own (counted and decoded at the end); the
  # body is read by handing the request to the answering location below.
  server {
    listen 127.0.0.1:$SINK_PORT;
    location /batch/ {
      client_max_body_size 20m;
      client_body_in_file_only on;
      client_body_temp_path $WORK/nginx/bodies;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://sink/ok;
    }
    location = /ok { default_type application/json; return 200 '{"status":1}'; }
    location / { default_type application/json; return 200 '{"status":1}'; }
  }
  # What operators would deploy instead of the gateway: a reverse proxy to the sink.
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://sink/ok;
    }
  }
}
NGINX
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" > "$WORK/nginx.log" 2>&1 &
PIDS+=($!)

# --- the two JVMs ---------------------------------------------------------------------------------
log "bare app on :$BARE_PORT"
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} BARE_APP_PORT=$BARE_PORT java $JAVA_OPTS -jar "$BARE_JAR" > "$WORK/bare-app.log" 2>&1 &
BARE_PID=$!
PIDS+=($BARE_PID)

log "gateway on :$GATEWAY_PORT ($(basename "$GATEWAY_JAR"))"
JFR_OPTS=""
[ "${BENCH_JFR:-0}" = 1 ] && JFR_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=filename=$WORK/gateway.jfr,settings=profile,dumponexit=true"
# shellcheck disable=SC2086
SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/gateway" SPRING_DATASOURCE_USERNAME=bench \
SPRING_DATASOURCE_PASSWORD=bench SECOND_POSTHOG_TOKEN=phc_BenchToken0123456789 \
SECOND_POSTHOG_HOST="http://127.0.0.1:$SINK_PORT" SECOND_CAPTURE_RATE_PER_SECOND=100000000 \
SECOND_CAPTURE_RATE_BURST=100000000 SECOND_THROTTLE_SIGN_UPS_PER_ADDRESS=100000 SERVER_PORT=$GATEWAY_PORT MANAGEMENT_SERVER_PORT=$MANAGEMENT_PORT \
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} \
  ${GATEWAY_JAVA:-java} $JAVA_OPTS $JFR_OPTS -jar "$GATEWAY_JAR" > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)

G="http://127.0.0.1:$GATEWAY_PORT"
wait_for() { for _ in $(seq 1 180); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; return 1; }
# the bare app has no GET route: any answer (its 404) means it is up
answers() { for _ in $(seq 1 180); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ] && return 0; sleep 0.5; done; return 1; }
answers "http://127.0.0.1:$BARE_PORT/" || { tail -40 "$WORK/bare-app.log" >&2; exit 1; }
wait_for "$G/api/auth/csrf" || { tail -40 "$WORK/gateway.log" >&2; exit 1; }
wait_for "http://127.0.0.1:$PROXY_PORT/" || { cat "$WORK/nginx/error.log" >&2; exit 1; }

# --- users ----------------------------------------------------------------------------------------
log "signing in $USERS users, every fourth one non-anonymized"
: > "$WORK/users.txt"
for i in $(seq 1 "$USERS"); do
  jar="$WORK/cookies.$i"
  curl -s -o /dev/null -c "$jar" "$G/api/auth/csrf"
  xsrf() { awk '$6=="XSRF-TOKEN"{print $7}' "$jar"; }
  post() { curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -H "X-XSRF-TOKEN: $(xsrf)" -H 'Content-Type: application/json' "$@"; }
  email="bench.$i.$RANDOM@example.com"
  code=$(post -d "{\"email\":\"$email\",\"password\":\"bench-password-$i\",\"name\":\"Bench User\"}" "$G/api/auth/signup")
  [ "$code" = 201 ] || { echo "sign-up of user $i failed: HTTP $code" >&2; exit 1; }
  [ "$(post -d "{\"email\":\"$email\",\"password\":\"bench-password-$i\"}" "$G/api/auth/login")" = 200 ] || { echo "login failed" >&2; exit 1; }
  [ "$(post -X POST "$G/api/onboarding/complete")" = 200 ] || { echo "onboarding failed" >&2; exit 1; }
  if [ $((i % 4)) = 0 ]; then
    [ "$(post -X PUT -d '{"anonymized":false}' "$G/api/settings/usage-data")" = 200 ] || { echo "settings failed" >&2; exit 1; }
  fi
  anon=$(cat /proc/sys/kernel/random/uuid)
  echo "$(awk '$6=="SESSION"{print $7}' "$jar") $(xsrf) anon_$anon" >> "$WORK/users.txt"
done
IDENTIFIES=$((USERS / 4))

# --- the runs -------------------------------------------------------------------------------------
TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# all of PostgreSQL's processes (backends, WAL writer, checkpointer...), and the box's idle time
pg_ticks() { local p t=0; for p in $(pgrep -u postgres); do t=$((t + $(cpu_ticks "$p" 2>/dev/null || echo 0))); done; echo "$t"; }
idle_ticks() { awk '/^cpu /{print $5 + $6}' /proc/stat; }
peak_rss_mb() { awk '/VmHWM/{printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$2"; }

# how many checkpoints (postgres.log) ran at some time between two epoch times: after one, every
# first change of a page writes the whole page to the WAL, so commits take longer for a while
checkpoints_during() {
  awk -v s="$1" -v e="$2" '
    function epoch(d, t,   cmd, r) { cmd = "date -u -d \"" d " " t "\" +%s.%N"; cmd | getline r; close(cmd); return r }
    / checkpoint starting: / { began = epoch($1, $2) }
    / checkpoint complete: / { if (began != "" && began <= e && epoch($1, $2) >= s) n++; began = "" }
    END { if (began != "" && began <= e) n++; print n + 0 }' "$WORK/postgres.log"
}
TOTAL_ACCEPTED=0
ROWS=()
NOTES=()

# run NAME URL USERS_FILE EVENTS PID(or -) [RATE: requests/s, paced; 0 or none: as fast as answered]
run() {
  local name=$1 url=$2 users=$3 events=$4 pid=$5 rate=${6:-0}
  log "$name: warm-up $WARMUP"
  BENCH_USERS=$users BENCH_EVENTS=$events BENCH_RATE=$rate BENCH_THREADS=$THREADS BENCH_RESULT="$WORK/$name.warmup" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 30s -s "$ROOT/bench/capture.lua" "$url" > /dev/null
  [ "$url" = "$G/api/analytics/capture" ] && TOTAL_ACCEPTED=$((TOTAL_ACCEPTED + $(field accepted "$WORK/$name.warmup")))
  local cpu_before=0 sink_before stmts="-" pg_before idle_before
  [ "$pid" != - ] && cpu_before=$(cpu_ticks "$pid")
  pg_before=$(pg_ticks); idle_before=$(idle_ticks)
  sink_before=$(find "$WORK/nginx/bodies" -type f | wc -l)
  psql_gw -c "SELECT pg_stat_statements_reset()" > /dev/null
  local backlog_before; backlog_before=$(backlog_events)
  log "$name: $DURATION, $CONNECTIONS connections"
  local window_start window_end; window_start=$(date +%s.%N)
  BENCH_USERS=$users BENCH_EVENTS=$events BENCH_RATE=$rate BENCH_THREADS=$THREADS BENCH_RESULT="$WORK/$name.result" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s -s "$ROOT/bench/capture.lua" "$url" > /dev/null
  window_end=$(date +%s.%N)
  local pg_after idle_after; pg_after=$(pg_ticks); idle_after=$(idle_ticks)
  local backlog_after; backlog_after=$(backlog_events)
  local result="$WORK/$name.result"
  local requests seconds accepted cores="-" rss="-" posthog="-" pg_cores idle_cores
  requests=$(field requests "$result"); seconds=$(field seconds "$result"); accepted=$(field accepted "$result")
  pg_cores=$(awk -v a="$pg_before" -v b="$pg_after" -v t="$TICKS" -v s="$seconds" 'BEGIN{printf "%.2f", (b - a) / t / s}')
  idle_cores=$(awk -v a="$idle_before" -v b="$idle_after" -v t="$TICKS" -v s="$seconds" 'BEGIN{printf "%.2f", (b - a) / t / s}')
  [ "$url" = "$G/api/analytics/capture" ] && TOTAL_ACCEPTED=$((TOTAL_ACCEPTED + accepted))
  if [ "$pid" != - ]; then
    cores=$(awk -v a="$cpu_before" -v b="$(cpu_ticks "$pid")" -v t="$TICKS" -v s="$seconds" 'BEGIN{printf "%.2f", (b - a) / t / s}')
    rss=$(peak_rss_mb "$pid")
  fi
  if [ "$url" = "$G/api/analytics/capture" ]; then
    psql_gw -c "SELECT calls, round(total_exec_time::numeric, 1) AS exec_ms, rows, round(min_exec_time::numeric, 2) AS min_ms, round(max_exec_time::numeric, 2) AS max_ms, regexp_replace(query, '\s+', ' ', 'g') AS query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'gateway') AND query NOT ILIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC" > "$WORK/$name.statements"
    # statements on the request path: sessions, accounts, settings, the grouped insert, transaction control
    stmts=$(awk -F'|' -v r="$requests" '$6 ~ /(SPRING_SESSION|FROM users|usage_data_settings|INSERT INTO delivery_backlog|^BEGIN|^COMMIT|^SET|synchronous_commit)/ {n += $1} END {printf "%.3f", n / r}' "$WORK/$name.statements")
    local sink_after; sink_after=$(find "$WORK/nginx/bodies" -type f | wc -l)
    [ "$accepted" -gt 0 ] && posthog=$(awk -v a="$accepted" -v n="$((sink_after - sink_before))" 'BEGIN{printf "1/%.0f", (n > 0) ? a / n : 0}')
    # a window in which delivery fell behind did less of its work than capture asked for
    [ "$((backlog_after - backlog_before))" -gt "$((accepted / 10))" ] && \
      NOTES+=("$name: the backlog grew by $((backlog_after - backlog_before)) events in the window, so delivery fell behind and did less of its work there; not comparable with a window where it kept up")
  fi
  ROWS+=("$name|$(awk -v r="$requests" -v s="$seconds" 'BEGIN{printf "%.0f", r / s}')|$(awk -v a="$accepted" -v s="$seconds" 'BEGIN{printf "%.0f", a / s}')|$(field p50_ms "$result")|$(field p99_ms "$result")|$(field p999_ms "$result")|$cores|$pg_cores|$idle_cores|$rss|$posthog|$stmts|$(( $(field failures "$result") + $(field socket_errors "$result") ))|$(checkpoints_during "$window_start" "$window_end")")
}

ROUTES=" ${BENCH_ROUTES:-nginx-proxy bare-app capture-1 capture-50} "
[[ $ROUTES == *" nginx-proxy "* ]] && run nginx-proxy "http://127.0.0.1:$PROXY_PORT/batch/" "" 1 -
[[ $ROUTES == *" bare-app "* ]] && run bare-app "http://127.0.0.1:$BARE_PORT/api/analytics/capture" "" 1 "$BARE_PID"
[[ $ROUTES == *" capture-1 "* ]] && run capture-1 "$G/api/analytics/capture" "$WORK/users.txt" 1 "$GATEWAY_PID"
if [[ $ROUTES == *" capture-1 "* ]]; then
  # the same, paced at 70 % of the rate capture-1 just reached
  PEAK=$(field rps "$WORK/capture-1.result")
  run capture-1@70% "$G/api/analytics/capture" "$WORK/users.txt" 1 "$GATEWAY_PID" \
    "$(awk -v p="$PEAK" 'BEGIN { printf "%d", (p > 0) ? 0.7 * p : 100 }')"
fi
SOAK=""
if [[ $ROUTES == *" soak "* ]]; then
  # half the rate capture-1 reached (or BENCH_SOAK_RPS), for BENCH_SOAK_DURATION, RSS sampled as it goes
  RATE=${BENCH_SOAK_RPS:-$(awk -v p="$(field rps "$WORK/capture-1.result" 2>/dev/null)" 'BEGIN { printf "%d", 0.5 * p }')}
  [ "$RATE" -gt 0 ] 2>/dev/null || { echo "soak needs capture-1 in BENCH_ROUTES, or BENCH_SOAK_RPS" >&2; exit 1; }
  ( start=$(date +%s); while kill -0 "$GATEWAY_PID" 2>/dev/null; do
      echo "$(( $(date +%s) - start )) $(awk '/VmRSS/{printf "%.0f", $2 / 1024}' "/proc/$GATEWAY_PID/status")"; sleep 10
    done ) > "$WORK/soak-rss.txt" 2>/dev/null &
  SAMPLER=$!
  SAVED_DURATION=$DURATION; DURATION=${BENCH_SOAK_DURATION:-10m}
  run soak@50% "$G/api/analytics/capture" "$WORK/users.txt" 1 "$GATEWAY_PID" "$RATE"
  DURATION=$SAVED_DURATION
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
  # flat: the median of the last tenth of the samples against that of the second tenth (past the warm-up)
  median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
  samples=$(wc -l < "$WORK/soak-rss.txt"); tenth=$(( samples / 10 > 0 ? samples / 10 : 1 ))
  SOAK=$(awk -v a="$(sed -n "$((tenth + 1)),$((2 * tenth))p" "$WORK/soak-rss.txt" | cut -d' ' -f2 | median)" \
    -v b="$(tail -n "$tenth" "$WORK/soak-rss.txt" | cut -d' ' -f2 | median)" -v rate="$RATE" \
    '{if (NR == 1 || $2 < min) min = $2; if ($2 > max) max = $2; n++}
     END {printf "soak at %d req/s: RSS over %d samples (every 10 s) min %d MB, max %d MB; median of the second tenth %d MB, of the last tenth %d MB", rate, n, min, max, a, b}' "$WORK/soak-rss.txt")
fi
[[ $ROUTES == *" capture-50 "* ]] && run capture-50 "$G/api/analytics/capture" "$WORK/users.txt" 50 "$GATEWAY_PID"

# --- exactly once ---------------------------------------------------------------------------------
log "waiting for the backlog to drain"
for _ in $(seq 1 240); do [ "$(psql_gw -c 'SELECT count(*) FROM delivery_backlog')" = 0 ] && break; sleep 0.5; done
LEFT=$(backlog_events)
DEAD=$(psql_gw -c 'SELECT count(*) FROM delivery_dead_letter')
BACKLOG_TABLE=$(psql_gw -c "SELECT vacuum_count || ' vacuums by the gateway, ' || autovacuum_count || ' by autovacuum; ' || pg_size_pretty(pg_total_relation_size('delivery_backlog')) || ' with its indexes at the end' FROM pg_stat_user_tables WHERE relname = 'delivery_backlog'")

# --- the COPY ceiling: 100,000 backlog-shaped rows, three times -----------------------------------
# After the backlog has drained, so that delivery does not compete with it for the cores, and the
# median of three: one COPY on this box moved between 94 000 and 142 000 rows/s from run to run.
log "COPY of 100000 backlog-shaped rows, three times"
awk 'BEGIN {
  srand(1);
  p = "{\"event\":\"build completed\",\"distinct_id\":\"anon_6f1c2e34-5b7a-4c8d-9e0f-1a2b3c4d5e6f\",\"properties\":{\"$lib\":\"second-analytics-gateway\",\"$lib_version\":\"0.1.0\",\"surface\":\"app_chat\",\"route_shape\":\"/w/:workspace/apps/:objectId/runs/:runId\",\"viewport_width\":1280,\"viewport_height\":800,\"message_count\":12,\"tool_call_count\":7,\"attachment_count\":1,\"file_count\":3,\"duration_ms\":48211,\"runtime_id\":\"claude-code\",\"model\":\"gpt-5\",\"failure_phase\":\"build\",\"error_code\":\"E_TIMEOUT\",\"$process_person_profile\":false,\"$geoip_disable\":true,\"release_version\":null,\"release_package\":null,\"release_runtime\":null,\"cli_launcher_version\":null,\"cli_launcher_package\":null},\"timestamp\":\"2026-01-01T12:00:00.000Z\"}";
  for (i = 0; i < 100000; i++) {
    printf "%04x%04x-%04x-4%03x-a%03x-%04x%04x%04x\t%s\n", rand()*65535, rand()*65535, rand()*65535, rand()*4095, rand()*4095, rand()*65535, rand()*65535, i % 65535, p
  }
}' > "$WORK/copy.tsv"
COPY_RATES=()
for _ in 1 2 3; do
  # a row per event, as the backlog was up to V8 (its columns, defaults and indexes): the same rows
  # the capture runs accepted, whatever shape the gateway stores them in
  psql_gw -c "CREATE TABLE bench_copy (id BIGSERIAL PRIMARY KEY, uuid UUID NOT NULL, payload TEXT NOT NULL, attempts INT NOT NULL DEFAULT 0, next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(), created_at TIMESTAMPTZ NOT NULL DEFAULT now()); CREATE INDEX ON bench_copy (next_attempt_at)" > /dev/null
  copy_start=$(date +%s%N)
  psql_gw -c "\\copy bench_copy (uuid, payload) FROM '$WORK/copy.tsv'" > /dev/null
  copy_end=$(date +%s%N)
  COPY_RATES+=("$(awk -v ns="$((copy_end - copy_start))" 'BEGIN{printf "%.0f", 100000 / (ns / 1e9)}')")
  psql_gw -c "DROP TABLE bench_copy" > /dev/null
done
COPY_SORTED=($(printf '%s\n' "${COPY_RATES[@]}" | sort -n))
COPY_RATE=${COPY_SORTED[1]}
NOTES+=("COPY 100k: the median of ${COPY_SORTED[0]}, ${COPY_SORTED[1]} and ${COPY_SORTED[2]} rows/s, after the backlog drained")
# bodies are written once the sink has read them whole; give the last one a moment
sleep 1
for f in "$WORK"/nginx/bodies/*/* "$WORK"/nginx/bodies/*; do [ -f "$f" ] && { zcat -f "$f"; echo; }; done > "$WORK/sink.json" 2>/dev/null || true
SINK_REQUESTS=$(find "$WORK/nginx/bodies" -type f | wc -l)
grep -o '"uuid":"[0-9a-f-]*"' "$WORK/sink.json" | cut -d'"' -f4 | sort > "$WORK/sink-uuids.txt"
sort -u "$WORK/sink-uuids.txt" > "$WORK/sink-distinct.txt"
# Every bench event carries a client uuid, so the idempotency keys (user, uuid) are exactly the
# events the gateway accepted, including those whose 202 was cut off when a wrk run ended. A jar
# from before V8 (GATEWAY_JAR, for an A/B run) keeps each key as "user:uuid" text.
if [ "$(psql_gw -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'delivery_idempotency' AND column_name = 'key'")" = 1 ]; then
  psql_gw -c "SELECT split_part(key, ':', 2) FROM delivery_idempotency" | sort -u > "$WORK/accepted-uuids.txt"
else
  psql_gw -c "SELECT event_uuid FROM delivery_idempotency" | sort -u > "$WORK/accepted-uuids.txt"
fi
SINK_EVENTS=$(wc -l < "$WORK/sink-uuids.txt")
DUPLICATES=$((SINK_EVENTS - $(wc -l < "$WORK/sink-distinct.txt")))
ACCEPTED_KEYS=$(wc -l < "$WORK/accepted-uuids.txt")
MISSING=$(comm -23 "$WORK/accepted-uuids.txt" "$WORK/sink-distinct.txt" | wc -l)
EXTRA=$(comm -13 "$WORK/accepted-uuids.txt" "$WORK/sink-distinct.txt" | wc -l)
IDENTIFY_SEEN=$(grep -o '"event":"\$identify"' "$WORK/sink.json" | wc -l)

# --- the table ------------------------------------------------------------------------------------
{
  echo
  echo "bench/run.sh  $(date -u +%FT%TZ)  commit $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')  jar $(basename "$GATEWAY_JAR")"
  echo "wrk -t$THREADS -c$CONNECTIONS, $WARMUP warm-up + $DURATION each; $USERS users ($IDENTIFIES non-anonymized); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "JVM flags (bare app and gateway): $JAVA_OPTS"
  echo
  printf '| %-12s | %9s | %9s | %8s | %8s | %9s | %9s | %8s | %10s | %8s | %15s | %15s | %6s | %11s |\n' route "req/s" "events/s" "p50 ms" "p99 ms" "p99.9 ms" "gw cores" "pg cores" "idle cores" "RSS MB" "PostHog req/ev" "DB stmts/req" "errors" "checkpoints"
  printf '| %-12s | %9s | %9s | %8s | %8s | %9s | %9s | %8s | %10s | %8s | %15s | %15s | %6s | %11s |\n' --- ---: ---: ---: ---: ---: ---: ---: ---: ---: ---: ---: ---: ---:
  for row in "${ROWS[@]}"; do
    IFS='|' read -r n a b c d e f k l g h i j m <<< "$row"
    printf '| %-12s | %9s | %9s | %8s | %8s | %9s | %9s | %8s | %10s | %8s | %15s | %15s | %6s | %11s |\n' "$n" "$a" "$b" "$c" "$d" "$e" "$f" "$k" "$l" "$g" "$h" "$i" "$j" "$m"
  done
  printf '| %-12s | %9s | %9s | %8s | %8s | %9s | %9s | %8s | %10s | %8s | %15s | %15s | %6s | %11s |\n' "COPY 100k" "" "$COPY_RATE" "" "" "" "" "" "" "" "" "" "" ""
  for note in "${NOTES[@]}"; do echo "note: $note"; done
  echo
  col() { for row in "${ROWS[@]}"; do IFS='|' read -r -a f <<< "$row"; [ "${f[0]}" = "$1" ] && echo "${f[$2]}"; done; }
  [[ $ROUTES == *" nginx-proxy "* && $ROUTES == *" bare-app "* && $ROUTES == *" capture-1 "* && $ROUTES == *" capture-50 "* ]] && awk -v c="$(col capture-1 1)" -v b="$(col bare-app 1)" -v n="$(col nginx-proxy 1)" -v e="$(col capture-50 2)" -v k="$COPY_RATE" \
    'BEGIN { printf "capture-1 / bare-app = %.2fx    capture-1 / nginx = %.3fx    capture-50 events / COPY rows = %.2fx\n", c / b, c / n, e / k }'
  [ -n "$SOAK" ] && echo "$SOAK ($WORK/soak-rss.txt)"
  echo "exactly once: the gateway accepted $ACCEPTED_KEYS events (wrk saw $TOTAL_ACCEPTED answered 202; the rest were in flight when a run ended) + $IDENTIFIES \$identify;"
  echo "  the sink got $SINK_EVENTS events in $SINK_REQUESTS requests: $DUPLICATES duplicates, $MISSING accepted but missing, $EXTRA not accepted ($IDENTIFY_SEEN \$identify); backlog left $LEFT, dead letters $DEAD"
  if [ "$DUPLICATES" = 0 ] && [ "$MISSING" = 0 ] && [ "$EXTRA" = "$IDENTIFIES" ] && [ "$IDENTIFY_SEEN" = "$IDENTIFIES" ] && [ "$LEFT" = 0 ]; then echo "exactly once: OK"; else echo "exactly once: FAILED"; fi
  echo "backlog table: $BACKLOG_TABLE"
  echo "request-path statements of the capture runs: $WORK/capture-1.statements, $WORK/capture-50.statements (kept with BENCH_WORK)"
} | tee "$WORK/results.txt"
