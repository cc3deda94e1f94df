#!/usr/bin/env bash
# Endpoint load run (docs/benchmarks.md): the packaged gateway against its embedded PostgreSQL and a
# PostHog stand-in on loopback, loaded with wrk — first the capture endpoint, then a bare Spring MVC
# endpoint behind the same security (session, CSRF, onboarding check) as the yardstick.
#
#   ./mvnw -DskipTests package && scripts/load-run.sh [duration] [connections]
#
# Needs wrk (Debian: apt-get install wrk), curl and python3. Only loopback addresses are used.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20s}
CONNECTIONS=${2:-16}
JAR=target/analytics-gateway.jar
[ -f "$JAR" ] || { echo "build the jar first: ./mvnw -DskipTests package" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

WORK=$(mktemp -d)
GATEWAY_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MANAGEMENT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
POSTHOG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  [ -n "${GATEWAY_PID:-}" ] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
  [ -n "${POSTHOG_PID:-}" ] && kill "$POSTHOG_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A PostHog that takes every batch.
python3 - "$POSTHOG_PORT" > "$WORK/posthog.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"status":1}'
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
POSTHOG_PID=$!

SECOND_POSTHOG_TOKEN=phc_LoadRunToken0123456789 SECOND_POSTHOG_HOST="http://127.0.0.1:$POSTHOG_PORT" \
SECOND_CAPTURE_RATE_PER_SECOND=1000000 SECOND_CAPTURE_RATE_BURST=1000000 SERVER_PORT="$GATEWAY_PORT" MANAGEMENT_SERVER_PORT="$MANAGEMENT_PORT" \
SECOND_EMBEDDED_POSTGRES_DATA_DIRECTORY="$WORK/postgres" SECOND_BENCHMARK_BASELINE_ENDPOINT=true \
  java ${LOAD_RUN_JAVA_OPTS:-} -jar "$JAR" > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
G="http://127.0.0.1:$GATEWAY_PORT"
M="http://127.0.0.1:$MANAGEMENT_PORT"
for _ in $(seq 1 120); do curl -sf "$G/readyz" >/dev/null && break; sleep 1; done
curl -sf "$G/readyz" >/dev/null || { tail -40 "$WORK/gateway.log"; exit 1; }

JAR_COOKIES="$WORK/cookies"
xsrf() { curl -s -c "$JAR_COOKIES" -b "$JAR_COOKIES" "$G/api/auth/csrf" >/dev/null; awk '$6=="XSRF-TOKEN"{print $7}' "$JAR_COOKIES"; }
post() { curl -s -o /dev/null -w '%{http_code}' -c "$JAR_COOKIES" -b "$JAR_COOKIES" -H "X-XSRF-TOKEN: $(xsrf)" \
  -H 'Content-Type: application/json' "$@"; }
post -d '{"email":"load@example.com","password":"load-run-password"}' "$G/api/auth/signup" >/dev/null
post -d '{"email":"load@example.com","password":"load-run-password"}' "$G/api/auth/login" >/dev/null
post -X POST "$G/api/onboarding/complete" >/dev/null
TOKEN=$(xsrf)
SESSION=$(awk '$6=="SESSION"{print $7}' "$JAR_COOKIES")

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-XSRF-TOKEN"] = "$TOKEN"
wrk.headers["Cookie"] = "SESSION=$SESSION; XSRF-TOKEN=$TOKEN"
wrk.body = '{"event":"page viewed","anonymousId":"anon_6f1c2e34-5b7a-4c8d-9e0f-1a2b3c4d5e6f","properties":{"surface":"app_chat","route_shape":"/w/acme/apps/5f0c7a1e-8a4b-4c1e-9a53-6c1f2d3e4b5a","viewport_width":1280,"viewport_height":800}}'
done = function(summary, latency, requests)
  local codes = summary.errors.status
  io.write(string.format("non-2xx answers: %d\n", codes))
end
LUA

echo "capture once: $(post -d "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$WORK/post.lua")" "$G/api/analytics/capture")"
echo "== warm-up"; wrk -t2 -c"$CONNECTIONS" -d${WARMUP:-30s} -s "$WORK/post.lua" "$G/api/analytics/capture" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d${WARMUP:-30s} -s "$WORK/post.lua" "$G/api/analytics/benchmark-baseline" >/dev/null
echo "== baseline: bare Spring MVC endpoint, same security"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/post.lua" "$G/api/analytics/benchmark-baseline"
echo "== capture: pipeline + settings read + durable group-committed insert"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/post.lua" "$G/api/analytics/capture"
echo "== forwarded so far"
curl -s "$M/actuator/prometheus" | grep -E '^analytics_events_(accepted|forwarded)_total' || true
