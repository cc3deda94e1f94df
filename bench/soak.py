#!/usr/bin/env python3
"""Soak run (docs/reliability.md): the packaged gateway against a real PostgreSQL and a fake PostHog
that fails one minute in five, PostgreSQL restarted twice, mixed capture traffic throughout. At the end
it reports events accepted (202), delivered, lost, duplicated, every answer by status, and memory.

    ./mvnw -DskipTests package && python3 bench/soak.py [--minutes 10] [--clients 8]

Needs the PostgreSQL server binaries (Debian: apt-get install postgresql; found under
/usr/lib/postgresql/*/bin or on PATH) and python3. Only loopback addresses are used. Not part of CI.
"""
import argparse, collections, glob, gzip, http.client, http.cookiejar, json, os, random, shutil, signal, socket
import subprocess, sys, tempfile, threading, time, urllib.error, urllib.request, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EVENTS = ["page viewed", "build completed", "build failed", "app agent triggered", "app agent finished"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(command):
    # PostgreSQL refuses to run as root; the Debian package's postgres user runs it then.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def pg_bin(name):
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]), None)
    if not found:
        sys.exit(f"{name} not found: apt-get install postgresql")
    return found


class PostHog:
    """Takes /batch/ bodies, counts each uuid; answers 503 during minute 2 of every 5."""

    def __init__(self, start):
        self.start, self.seen, self.lock = start, collections.Counter(), threading.Lock()
        self.failed_batches = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if int((time.time() - outer.start) // 60) % 5 == 2:
                    with outer.lock:
                        outer.failed_batches += 1
                    return self.answer(503, b'{"error":"soak outage"}')
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                body = json.loads(raw)
                with outer.lock:
                    for event in body.get("batch", []):
                        outer.seen[event.get("uuid")] += 1
                self.answer(200, b'{"status":1}')

            def answer(self, code, body):
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.anon = "anon_" + str(uuid.uuid4())

    def xsrf(self):
        for cookie in self.jar:
            if cookie.name == "XSRF-TOKEN":
                return cookie.value
        self.call("GET", "/api/auth/csrf")
        return self.xsrf()

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if method != "GET":
            request.add_header("X-XSRF-TOKEN", self.xsrf())
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, OSError, http.client.HTTPException):
            # no answer, or a truncated one: counted as status 0
            return 0, b""

    def sign_up_and_onboard(self, deadline):
        email = f"soak.{uuid.uuid4().hex[:12]}@example.com"
        steps = [("POST", "/api/auth/signup", {"email": email, "password": "soak-password-1", "name": "Soak"}, 201),
                 ("POST", "/api/auth/login", {"email": email, "password": "soak-password-1"}, 200),
                 ("POST", "/api/onboarding/complete", None, 200)]
        for method, path, body, want in steps:
            while self.call(method, path, body)[0] != want:
                if time.time() > deadline:
                    return False
                time.sleep(1)  # the database may be restarting; the client retries, as a browser would
        return True


def memory(management):
    try:
        with urllib.request.urlopen(management + "/actuator/prometheus", timeout=10) as response:
            text = response.read().decode()
    except OSError:
        return None
    heap = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("jvm_memory_used_bytes") and 'area="heap"' in line)
    depth = next((float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                  if line.startswith("analytics_delivery_backlog_depth")), None)
    return heap, depth


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--jar", default="target/analytics-gateway.jar")
    args = parser.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if not os.path.exists(args.jar):
        sys.exit("build the jar first: ./mvnw -DskipTests package")
    work = tempfile.mkdtemp(prefix="soak-")
    start = time.time()
    duration = args.minutes * 60
    pg_port, gateway_port, management_port = free_port(), free_port(), free_port()
    data = os.path.join(work, "pg")
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    subprocess.run(as_postgres([pg_bin("initdb"), "-D", data, "-U", "soak", "--auth=trust", "-E", "UTF8"]),
                   check=True, stdout=subprocess.DEVNULL)
    pg_ctl = pg_bin("pg_ctl")
    pg_opts = f"-p {pg_port} -k {work} -c listen_addresses=127.0.0.1"

    def pg(action, *extra):
        subprocess.run(as_postgres([pg_ctl, "-D", data, "-o", pg_opts, "-l", os.path.join(work, "pg.log"), "-w",
                                    *extra, action]), check=True, stdout=subprocess.DEVNULL)

    pg("start")
    subprocess.run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(pg_port), "-U", "soak", "gateway"], check=True)
    posthog = PostHog(start)
    env = dict(os.environ, SPRING_DATASOURCE_URL=f"jdbc:postgresql://127.0.0.1:{pg_port}/gateway",
               SPRING_DATASOURCE_USERNAME="soak", SPRING_DATASOURCE_PASSWORD="",
               SECOND_POSTHOG_TOKEN="phc_SoakRunToken0123456789", SECOND_POSTHOG_HOST=f"http://127.0.0.1:{posthog.port}",
               SERVER_PORT=str(gateway_port), MANAGEMENT_SERVER_PORT=str(management_port),
               SECOND_DELIVERY_BACKOFF_MAX="10s")
    log = open(os.path.join(work, "gateway.log"), "w")
    if os.geteuid() == 0:
        os.chmod(work, 0o777)
    gateway = subprocess.Popen(["java", "-Xmx256m", "-jar", args.jar], env=env, stdout=log, stderr=subprocess.STDOUT)
    base, management = f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{management_port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/readyz", timeout=2)
                break
            except OSError:
                time.sleep(1)
        else:
            sys.exit(f"the gateway did not start; see {work}/gateway.log")
        start = time.time()
        posthog.start = start
        stop_at = start + duration
        statuses, accepted, lock = collections.Counter(), [], threading.Lock()
        samples = []

        def client():
            browser = Browser(base)
            if not browser.sign_up_and_onboard(stop_at):
                return
            while time.time() < stop_at:
                batch = [{"event": random.choice(EVENTS), "anonymousId": browser.anon, "uuid": str(uuid.uuid4()),
                          "properties": {"surface": "app_chat", "route_shape": "/w/acme/apps/42",
                                         "duration_ms": random.randint(1, 9999)}}
                         for _ in range(random.choice([1, 1, 1, 5, 20]))]
                body = batch[0] if len(batch) == 1 else {"batch": batch}
                status, _ = browser.call("POST", "/api/analytics/capture", body)
                if status == 202:
                    with lock:
                        accepted.extend(event["uuid"] for event in batch)
                        # a retry of the same uuid must not make a second event
                        if random.random() < 0.02:
                            browser.call("POST", "/api/analytics/capture", body)
                with lock:
                    statuses[status] += 1
                if status in (0, 503, 429):
                    time.sleep(0.5)  # back off, as the browser client does

        threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        restarts = [start + duration * 0.3, start + duration * 0.65]
        while time.time() < stop_at:
            if restarts and time.time() >= restarts[0]:
                restarts.pop(0)
                print(f"[{time.time() - start:5.0f}s] restarting PostgreSQL (fast)", flush=True)
                pg("restart", "-m", "fast")
            sample = memory(management)
            if sample:
                samples.append((time.time() - start, *sample))
            time.sleep(5)
        for thread in threads:
            thread.join(60)
        print("load stopped; waiting for the backlog to drain", flush=True)
        drain_until = time.time() + 300
        while time.time() < drain_until:
            sample = memory(management)
            with posthog.lock:
                delivered = set(posthog.seen)
            if sample and sample[1] == 0 and set(accepted) <= delivered:
                break
            time.sleep(2)
        with posthog.lock:
            seen = collections.Counter(posthog.seen)
        accepted_set = set(accepted)
        lost = accepted_set - set(seen)
        duplicated = {u for u, n in seen.items() if n > 1}
        rss = int(open(f"/proc/{gateway.pid}/status").read().split("VmRSS:")[1].split()[0]) // 1024
        heaps = [s[1] / 2 ** 20 for s in samples]
        third = max(1, len(heaps) // 3)
        print(json.dumps({
            "minutes": args.minutes, "clients": args.clients,
            "answers": dict(sorted(statuses.items())),
            "answers_500": statuses.get(500, 0),
            "events_accepted": len(accepted_set), "events_delivered": len(accepted_set & set(seen)),
            "lost": len(lost), "duplicated": len(duplicated),
            "posthog_batches_failed_on_purpose": posthog.failed_batches,
            "heap_mib_first_third_avg": round(sum(heaps[:third]) / third, 1) if heaps else None,
            "heap_mib_last_third_avg": round(sum(heaps[-third:]) / third, 1) if heaps else None,
            "heap_mib_max": round(max(heaps), 1) if heaps else None,
            "rss_mib_at_end": rss,
            "gateway_log_errors": sum(1 for line in open(os.path.join(work, "gateway.log")) if " ERROR " in line),
            "work_dir": work,
        }, indent=2))
    finally:
        gateway.send_signal(signal.SIGTERM)
        try:
            gateway.wait(60)
        except subprocess.TimeoutExpired:
            gateway.kill()
        posthog.server.shutdown()
        try:
            pg("stop", "-m", "fast")
        except subprocess.CalledProcessError:
            pass


if __name__ == "__main__":
    main()
