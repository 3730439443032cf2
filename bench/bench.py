#!/usr/bin/env python3
"""Keygate benchmarks against a release build, with wrk as the load generator.

Prints a table: client-credentials tokens/s and p50/p99 latency at 16 and 64 connections,
plus start-up time and idle RSS. The load generator shares the machine with the server, so the
figures are for this machine as a whole; compare runs made in one sitting.

With --reference, the protocol scenarios (client credentials, introspection, discovery, JWKS)
also run against Node's `oidc-provider` (installed with npm into a scratch folder, configured
like Keygate: one client, ES256 JWT access tokens), alternating Keygate and the reference in
one sitting, and the table gives the throughput ratio and each server's CPU time per request.
The user flows userinfo and refresh (rotating on both sides) are compared too: keygate-bench
signs in through each provider's own login and consent pages (the reference's development
interactions) to get each worker its tokens, then runs the same load on both.

With --id-token-alg ES256, both sign the user flows' ID tokens with ES256 instead of their
default RS256 (keygate-bench checks each worker's first ID token), which shows what each
provider's own work costs beside one RSA-2048 signature per code flow and refresh.

Any other provider can be the reference instead: --reference-issuer URL --reference-client-id
ID --reference-client-secret SECRET [--reference-pid PID] (a client with the client credentials
grant and introspection rights; with the server's PID the CPU columns are filled in too).

With --soak MINUTES, a mixed load instead (issue 22): client-credentials tokens from wrk
(8 connections) and, at the same time, password sign-ins with consent from keygate-bench, as
many at once as the hashing pool is wide (one per core); the server's RSS and CPU are sampled
every 30 s, printed as a table with a verdict (steady RSS at most 64 MiB, and flat: no sample
after the first minute more than 5% above the one at one minute). --record appends the table
to docs/performance.md with the machine and the date.

Usage: python3 bench/bench.py [--duration 10] [--database-url postgres://...] [--reference]
       python3 bench/bench.py --soak 30 [--record]
"""

import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.path.join(TARGET, "release", "keygate")
BENCH = os.path.join(TARGET, "release", "keygate-bench")
PASSWORD = "correct horse battery staple"
CALLBACK = "http://127.0.0.1:9/callback"
WORKERS = 16  # concurrent user flows


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir, env, port):
        self.data_dir, self.env, self.port = data_dir, env, port
        self.base = f"http://127.0.0.1:{port}"
        self.proc = None

    def keygate(self, *args, stdin=None):
        return subprocess.run(
            [BIN, "--data-dir", self.data_dir, *args],
            env=self.env, input=stdin, capture_output=True, text=True, check=True,
        )

    def start(self):
        """Starts the server; returns seconds from exec to the first answered request."""
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [BIN, "--data-dir", self.data_dir, "--listen", f"127.0.0.1:{self.port}",
             "--issuer", self.base, "serve"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        url = self.base + "/.well-known/openid-configuration"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    r.read()
                return time.perf_counter() - t0
            except OSError:
                if self.proc.poll() is not None:
                    sys.exit("keygate serve exited during start-up")
                time.sleep(0.0005)

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)


WRK_LUA = """
wrk.method = os.getenv("KG_METHOD") or "POST"
if wrk.method == "POST" then
  wrk.body = os.getenv("KG_BODY") or "grant_type=client_credentials"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Authorization"] = "Basic " .. os.getenv("KG_BASIC")
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50\\": %d, \\"p99\\": %d, \\"non2xx\\": %d, \\"errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def wrk(url, connections, duration, script, env):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", script, url],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("JSON "))
    r = json.loads(line[5:])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


USER_SCENARIOS = [
    ("login", "code flow: login (Argon2id) + consent"),
    ("session", "code flow with an SSO session"),
    ("refresh", "refresh grant (rotation)"),
    ("userinfo", "userinfo"),
]


def web_client(server):
    """Users bench-0.. (one per worker: Keygate limits the sign-ins in flight per account) and
    a confidential web client on Keygate for the user flows."""
    for n in range(WORKERS):
        server.keygate("users", "create", "--username", f"bench-{n}", "--email",
                       f"bench-{n}@example.com", "--password-stdin", stdin=PASSWORD + "\n")
    web = json.loads(server.keygate(
        "clients", "create", "--name", "bench web", "--type", "web",
        "--redirect-uri", CALLBACK, "--json").stdout)
    time.sleep(1.0)  # the running server sees new clients within a second
    return web["client_id"], web["client_secret"]


ID_TOKEN_ALG = None  # --id-token-alg: checked by keygate-bench on every worker's set-up


def run_flows(issuer, client, scenario, conns, duration, pid):
    """keygate-bench's `scenario` against `issuer`: each operation is a complete flow over HTTP.
    The CPU figures count the measured operations only: keygate-bench pauses after its
    workers' set-up (a password sign-in each, Argon2id on the server) until told to go on."""
    gen0 = children_cpu_seconds()
    proc = subprocess.Popen(
        [BENCH, "--issuer", issuer, "--client-id", client[0], f"--client-secret={client[1]}",
         "--redirect-uri", CALLBACK, "--username", "bench-{worker}", "--password", PASSWORD,
         "--scenario", scenario, "--concurrency", str(conns), "--duration", str(duration),
         "--pause"] + (["--id-token-alg", ID_TOKEN_ALG] if ID_TOKEN_ALG and scenario != "login" else []),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.strip() == "READY":
            break
    cpu0 = pid_cpu_seconds(pid)
    gen_set_up = pid_cpu_seconds(proc.pid)
    proc.stdin.write("go\n")
    proc.stdin.flush()
    out = proc.stdout.read()
    if proc.wait() != 0:
        sys.exit(f"keygate-bench {scenario} failed")
    r = json.loads(out.strip().splitlines()[-1])
    r["cpu_us_per_op"] = (pid_cpu_seconds(pid) - cpu0) / max(r["ops"], 1) * 1e6
    # The load generator's own CPU: it shares the cores with the server.
    gen = children_cpu_seconds() - gen0 - gen_set_up
    r["gen_us_per_op"] = gen / max(r["ops"], 1) * 1e6
    return r


def children_cpu_seconds():
    t = os.times()
    return t.children_user + t.children_system


def user_flows(server, client, duration):
    rows = []
    conns = WORKERS
    for scenario, label in USER_SCENARIOS:
        r = run_flows(server.base, client, scenario, conns, duration, server.proc.pid)
        r["label"] = f"{label}, c={conns}"
        rows.append(r)
    return rows


def flows_side_by_side(server, client, reference, duration):
    """Userinfo and refresh (rotating on both sides) on Keygate then on the reference,
    alternating, c=16; the same load generator logs in through each one's own pages."""
    rows = []
    for scenario in ("userinfo", "refresh"):
        row = {"scenario": scenario + " (user flow)"}
        for name, issuer, cl, pid in (("keygate", server.base, client, server.proc.pid),
                                      ("reference", reference.issuer, reference.web, reference.proc.pid)):
            run_flows(issuer, cl, scenario, WORKERS, 2, pid)  # warm-up
            r = run_flows(issuer, cl, scenario, WORKERS, duration, pid)
            row[name] = {"rps": r["per_second"], "p99": r["p99_ms"] * 1000,
                         "cpu_us": r["cpu_us_per_op"], "non2xx": 0, "errors": 0}
        rows.append(row)
    return rows


SOAK_SAMPLE = 30  # seconds between RSS samples
SOAK_TARGET_MIB = 64
SOAK_FLAT = 0.05  # allowed growth after the first minute


def soak(server, basic, client, minutes, script, env, sample=SOAK_SAMPLE):
    """Client credentials and sign-ins at once for `minutes`; RSS and CPU every `sample` s."""
    seconds = int(minutes * 60)
    wenv = dict(env, KG_BASIC=basic)
    tokens = subprocess.Popen(
        ["wrk", "-t1", "-c8", f"-d{seconds}s", "-s", script, server.base + "/token"],
        env=wenv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    logins = subprocess.Popen(
        [BENCH, "--issuer", server.base, "--client-id", client[0],
         f"--client-secret={client[1]}", "--redirect-uri", CALLBACK, "--username",
         "bench-{worker}", "--password", PASSWORD, "--scenario", "login",
         "--concurrency", str(os.cpu_count() or 2), "--duration", str(seconds)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    samples = []
    t0 = time.monotonic()
    cpu0 = server.cpu_seconds()
    while tokens.poll() is None or logins.poll() is None:
        time.sleep(min(sample, max(0.0, t0 + (len(samples) + 1) * sample - time.monotonic())))
        if time.monotonic() - t0 > seconds + 5:
            break
        samples.append((time.monotonic() - t0, server.rss_kib() / 1024, server.cpu_seconds() - cpu0))
    out = tokens.communicate()[0]
    line = next((l for l in out.splitlines() if l.startswith("JSON ")), None)
    cc = json.loads(line[5:]) if line else {"requests": 0, "non2xx": 0, "errors": 0}
    flows = logins.communicate()[0].strip().splitlines()
    signins = json.loads(flows[-1]) if flows else {"ops": 0}
    return samples, cc, signins


def soak_report(samples, cc, signins, minutes, backend):
    lines = [f"Soak — {backend}, {os.cpu_count()} cores, {minutes} min, "
             f"{time.strftime('%Y-%m-%d')}: client credentials (wrk -c8) + password sign-ins "
             f"({os.cpu_count()} at once)", "",
             "| t (s) | RSS (MiB) | server CPU (s) |", "|---:|---:|---:|"]
    lines += [f"| {t:.0f} | {rss:.1f} | {cpu:.1f} |" for t, rss, cpu in samples]
    after = [rss for t, rss, _ in samples if t >= 60]
    base = after[0] if after else (samples[-1][1] if samples else 0)
    peak = max((rss for _, rss, _ in samples), default=0)
    steady = max(after, default=peak)
    growth = (steady - base) / base if base else 0
    flat = growth <= SOAK_FLAT
    lines += ["",
              f"tokens: {cc['requests']} ({cc['non2xx'] + cc['errors']} failed); sign-ins: "
              f"{signins.get('ops', 0)} ({signins.get('failed', 0)} failed)",
              f"RSS at 1 min {base:.1f} MiB, steady max {steady:.1f} MiB, peak {peak:.1f} MiB: "
              f"{'flat' if flat else 'GROWING'} ({growth * 100:+.1f}% after the first minute, "
              f"at most {SOAK_FLAT * 100:.0f}%); target {SOAK_TARGET_MIB} MiB "
              f"{'met' if steady <= SOAK_TARGET_MIB else 'MISSED'}"]
    return "\n".join(lines)


def pid_cpu_seconds(pid):
    if pid is None:
        return float("nan")
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post_form(url, form, basic):
    req = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(),
                                 headers={"Authorization": "Basic " + basic})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read())


class Target:
    """An OpenID Provider under load: its endpoints, a client, a token to introspect."""

    def __init__(self, name, pid, issuer, basic, intro_resource=None):
        self.name, self.pid, self.basic = name, pid, basic
        with urllib.request.urlopen(issuer + "/.well-known/openid-configuration") as r:
            meta = json.loads(r.read())
        self.discovery = issuer + "/.well-known/openid-configuration"
        self.token = meta["token_endpoint"]
        self.introspection = meta["introspection_endpoint"]
        self.jwks = meta["jwks_uri"]
        form = {"grant_type": "client_credentials"}
        if intro_resource:
            form["resource"] = intro_resource
        self.intro_token = post_form(self.token, form, basic)["access_token"]

    def scenarios(self):
        return [
            ("client_credentials", self.token, {"KG_BODY": "grant_type=client_credentials"}),
            ("introspection", self.introspection, {"KG_BODY": "token=" + self.intro_token}),
            ("discovery", self.discovery, {"KG_METHOD": "GET"}),
            ("jwks", self.jwks, {"KG_METHOD": "GET"}),
        ]


class Reference:
    """Node's oidc-provider, installed into a scratch folder and started on a free port."""

    def __init__(self, tmp, id_token_alg="RS256"):
        if not shutil.which("node") or not shutil.which("npm"):
            sys.exit("--reference needs node and npm")
        self.dir = os.path.join(tmp, "reference")
        os.makedirs(self.dir)
        for name in ("package.json", "oidc-provider.mjs"):
            shutil.copy(os.path.join(ROOT, "bench", "reference", name), self.dir)
        sh("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", cwd=self.dir)
        self.port = free_port()
        self.secret = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
        self.proc = subprocess.Popen(
            ["node", "oidc-provider.mjs", str(self.port), "bench-ref", self.secret],
            cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, ID_TOKEN_ALG=id_token_alg))
        self.issuer = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.issuer + "/.well-known/openid-configuration").read()
                break
            except OSError:
                time.sleep(0.05)
        self.basic = base64.b64encode(f"bench-ref:{self.secret}".encode()).decode()
        self.web = ("bench-ref-web", self.secret)  # the code and refresh client, same secret
        self.version = json.load(open(os.path.join(
            self.dir, "node_modules", "oidc-provider", "package.json")))["version"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def side_by_side(keygate, reference, duration, script, env):
    """Each scenario on Keygate then on the reference, alternating, c=64."""
    rows = []
    for (name, k_url, k_env), (_, r_url, r_env) in zip(keygate.scenarios(), reference.scenarios()):
        row = {"scenario": name}
        for target, url, extra in ((keygate, k_url, k_env), (reference, r_url, r_env)):
            wenv = dict(env, KG_BASIC=target.basic, **extra)
            wrk(url, 64, 2, script, wenv)  # warm-up
            cpu0 = pid_cpu_seconds(target.pid)
            r = wrk(url, 64, duration, script, wenv)
            r["cpu_us"] = (pid_cpu_seconds(target.pid) - cpu0) / max(r["requests"], 1) * 1e6
            row[target.name] = r
        rows.append(row)
    return rows


def print_side_by_side(rows, version):
    name = version if version.startswith("http") else f"Node oidc-provider {version}"
    print(f"\nSide by side with {name} (wrk -t2 -c64, same machine, alternating)")
    print(f"{'scenario':<20} {'Keygate req/s':>14} {'p99 ms':>7} {'CPU µs':>7} "
          f"{'reference req/s':>16} {'p99 ms':>7} {'CPU µs':>7} {'ratio':>6} {'CPU ratio':>10}")
    for row in rows:
        k, r = row["keygate"], row["reference"]
        errors = k["non2xx"] + k["errors"] + r["non2xx"] + r["errors"]
        print(f"{row['scenario']:<20} {k['rps']:>14.0f} {k['p99'] / 1000:>7.2f} {k['cpu_us']:>7.1f} "
              f"{r['rps']:>16.0f} {r['p99'] / 1000:>7.2f} {r['cpu_us']:>7.1f} "
              f"{k['rps'] / max(r['rps'], 1):>5.1f}x {r['cpu_us'] / max(k['cpu_us'], 0.001):>9.1f}x"
              + (f"  ({errors} errors)" if errors else ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--database-url", default=None, help="run on PostgreSQL instead of SQLite")
    ap.add_argument("--starts", type=int, default=10, help="warm start-ups to time")
    ap.add_argument("--reference", action="store_true",
                    help="also run the protocol scenarios against Node oidc-provider")
    ap.add_argument("--reference-issuer", help="another OpenID Provider to compare with")
    ap.add_argument("--reference-client-id")
    ap.add_argument("--reference-client-secret")
    ap.add_argument("--reference-pid", type=int, default=None,
                    help="that provider's process id, for its CPU time per request")
    ap.add_argument("--soak", type=float, default=None, metavar="MINUTES",
                    help="mixed load for MINUTES, RSS sampled every 30 s (issue 22)")
    ap.add_argument("--record", action="store_true",
                    help="with --soak: append the table to docs/performance.md")
    ap.add_argument("--workers", type=int, default=WORKERS,
                    help="concurrent user flows, one user each (default 16; 64 for issue 22's "
                         "p99 target)")
    ap.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                    help="set in the server's environment only (e.g. LD_PRELOAD of another "
                         "allocator, GLIBC_TUNABLES); repeatable")
    ap.add_argument("--id-token-alg", default=None, metavar="ALG",
                    help="sign the user flows' ID tokens with ALG (e.g. ES256) on Keygate and on "
                         "the reference; default: each one's default, RS256")
    ap.add_argument("--reference-resource", default=None,
                    help="a resource to get the token to introspect for (default: none)")
    args = ap.parse_args()
    globals()["WORKERS"] = args.workers
    globals()["ID_TOKEN_ALG"] = args.id_token_alg

    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "keygate", "-p", "keygate-bench"],
                   cwd=ROOT, check=True)

    tmp = tempfile.mkdtemp(prefix="kgbench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYGATE_")}
    env["KEYGATE_LOG"] = "warn"
    if args.database_url:
        env["KEYGATE_DATABASE_URL"] = args.database_url
    server_env = dict(env, **dict(kv.split("=", 1) for kv in args.server_env))
    if args.id_token_alg:
        server_env["KEYGATE_TOKENS__ID_TOKEN_ALG"] = args.id_token_alg
    server = Server(tmp, server_env, free_port())
    try:
        server.keygate("migrate")
        cold = server.start()  # first start: generates the signing keys
        server.stop()
        starts = []
        for _ in range(args.starts):
            starts.append(server.start())
            server.stop()

        # Keygate refuses scopes and APIs that are not registered: the API first.
        server.keygate("apis", "create", "--identifier", "https://api.example/", "--name", "API",
                       "--scope", "read=Read the data")
        created = json.loads(server.keygate(
            "clients", "create", "--name", "bench", "--type", "m2m", "--scope", "read",
            "--resource", "https://api.example/", "--json").stdout)
        basic = base64.b64encode(f"{created['client_id']}:{created['client_secret']}".encode()).decode()

        server.start()
        time.sleep(1.0)
        idle_rss = server.rss_kib()
        client = web_client(server)
        script = os.path.join(tmp, "cc.lua")
        with open(script, "w") as f:
            f.write(WRK_LUA)
        if args.soak:
            backend = "PostgreSQL" if args.database_url else "SQLite"
            report = soak_report(*soak(server, basic, client, args.soak, script, env),
                                 args.soak, backend)
            setting = f" Server environment: `{' '.join(args.server_env)}`." if args.server_env else ""
            report = f"Idle RSS {idle_rss / 1024:.1f} MiB.{setting}\n\n{report}"
            print(report)
            if args.record:
                with open(os.path.join(ROOT, "docs", "performance.md"), "a") as f:
                    f.write(f"\n### Soak, {time.strftime('%Y-%m-%d')}\n\n{report}\n")
            return
        wenv = dict(env, KG_BASIC=basic)
        wrk(server.base + "/token", 16, 2, script, wenv)  # warm-up
        rows = []
        for conns in (16, 64):
            cpu0 = server.cpu_seconds()
            r = wrk(server.base + "/token", conns, args.duration, script, wenv)
            cpu = server.cpu_seconds() - cpu0
            r["cpu_us_per_req"] = cpu / max(r["requests"], 1) * 1e6
            r["conns"] = conns
            rows.append(r)
        compared = None
        if args.reference_issuer:
            basic_ref = base64.b64encode(
                f"{args.reference_client_id}:{args.reference_client_secret}".encode()).decode()
            keygate = Target("keygate", server.proc.pid, server.base, basic)
            ref = Target("reference", args.reference_pid, args.reference_issuer, basic_ref,
                         intro_resource=args.reference_resource)
            compared = (side_by_side(keygate, ref, args.duration, script, env),
                        args.reference_issuer)
        elif args.reference:
            reference = Reference(tmp, args.id_token_alg or "RS256")
            try:
                keygate = Target("keygate", server.proc.pid, server.base, basic)
                ref = Target("reference", reference.proc.pid, reference.issuer, reference.basic,
                             intro_resource="https://opaque.example/")
                rows_ref = side_by_side(keygate, ref, args.duration, script, env)
                rows_ref += flows_side_by_side(server, client, reference, args.duration)
                compared = (rows_ref, reference.version)
            finally:
                reference.stop()
        flows = user_flows(server, client, args.duration)
        loaded_rss = server.rss_kib()
        server.stop()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\nKeygate benchmark — {backend}, {os.cpu_count()} cores, wrk -t2, {args.duration}s per run")
    print(f"{'scenario':<34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'server CPU µs/req':>18} "
          f"{'non-2xx':>8} {'load gen. CPU µs/op':>20}")
    for r in rows:
        print(f"{'client_credentials (ES256), c=' + str(r['conns']):<34} {r['rps']:>9.0f} "
              f"{r['p50'] / 1000:>8.2f} {r['p99'] / 1000:>8.2f} {r['cpu_us_per_req']:>18.1f} "
              f"{r['non2xx'] + r['errors']:>8}")
    for r in flows:
        print(f"{r['label']:<34} {r['per_second']:>9.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
              f"{r['cpu_us_per_op']:>18.1f} {0:>8} {r['gen_us_per_op']:>20.1f}")
    print(f"start-up to first answer: cold (key generation) {cold * 1000:.0f} ms; "
          f"warm median {statistics.median(starts) * 1000:.1f} ms, max {max(starts) * 1000:.1f} ms")
    print(f"RSS: idle {idle_rss / 1024:.1f} MiB, after load {loaded_rss / 1024:.1f} MiB")
    if compared:
        print_side_by_side(*compared)


if __name__ == "__main__":
    main()
