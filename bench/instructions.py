#!/usr/bin/env python3
"""Instructions per request, counted by valgrind's callgrind (issue 22).

CPU time per request on a shared, virtualised 2-core machine moves by 10-20% between runs;
instruction counts do not: the same binary, inputs and environment give the same count. This
runs `keygate serve` (release build, SQLite) under `valgrind --tool=callgrind` with counting
off, does each scenario's set-up (clients, users, a password sign-in), turns counting on for
exactly N operations, dumps, and prints instructions per operation. Use it to compare two
builds of one change; use bench.py for the CPU-time figures the targets are stated in.

Scenarios: cc (client credentials, ES256 access token), session (code flow with an SSO
session: authorize, code, token), refresh (refresh grant with rotation), userinfo.

Usage: python3 bench/instructions.py [--ops 300] [--scenario cc --scenario refresh ...]
       [--annotate N]   (also print the N functions with the most instructions of their own)
       [--keep]         (keep the dumps and print their paths, for callgrind_annotate)
"""

import argparse
import glob
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the same binaries, users and clients as the benchmarks)

SCENARIOS = ("cc", "session", "refresh", "userinfo")


class CallgrindServer(bench.Server):
    """`keygate serve` under callgrind, counting only between `on()` and `dump()`."""

    def __init__(self, data_dir, env, port, out_dir):
        super().__init__(data_dir, env, port)
        self.out_dir = out_dir

    def start(self):
        out = os.path.join(self.out_dir, "callgrind.out.%p")
        self.proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
             bench.BIN, "--data-dir", self.data_dir, "--listen", f"127.0.0.1:{self.port}",
             "--issuer", self.base, "serve"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = self.base + "/.well-known/openid-configuration"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", url)
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        sys.exit("keygate serve did not start under valgrind")

    def control(self, *args):
        subprocess.run(["callgrind_control", *args, str(self.proc.pid)], check=True,
                       capture_output=True)

    def on(self):
        self.control("--zero")
        self.control("--instr=on")

    def dump(self):
        """Instructions counted since `on()`, and the dump file."""
        before = set(glob.glob(os.path.join(self.out_dir, "callgrind.out.*")))
        self.control("--dump")
        self.control("--instr=off")
        for _ in range(100):
            new = set(glob.glob(os.path.join(self.out_dir, "callgrind.out.*"))) - before
            if new:
                path = max(new, key=os.path.getmtime)
                time.sleep(0.2)
                with open(path) as f:
                    for line in f:
                        if line.startswith("summary:") or line.startswith("totals:"):
                            return int(line.split()[1]), path
            time.sleep(0.1)
        sys.exit("callgrind wrote no dump")


def client_credentials(server, basic, ops):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Authorization": "Basic " + basic,
               "Content-Type": "application/x-www-form-urlencoded"}
    body = "grant_type=client_credentials"

    def one():
        conn.request("POST", "/token", body, headers)
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            sys.exit(f"client credentials: {r.status}")

    for _ in range(5):  # warm-up: caches filled, connection open
        one()
    server.on()
    for _ in range(ops):
        one()
    return server.dump()


def user_flow(server, client, scenario, ops):
    proc = subprocess.Popen(
        [bench.BENCH, "--issuer", server.base, "--client-id", client[0],
         f"--client-secret={client[1]}", "--redirect-uri", bench.CALLBACK, "--username",
         "bench-{worker}", "--password", bench.PASSWORD, "--scenario", scenario,
         "--concurrency", "1", "--ops", str(ops), "--pause"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if proc.stdout.readline().strip() != "READY":
        sys.exit(f"keygate-bench {scenario}: no set-up")
    server.on()
    proc.stdin.write("\n")
    proc.stdin.flush()
    result = proc.stdout.read()
    if proc.wait() != 0:
        sys.exit(f"keygate-bench {scenario} failed: {result}")
    return server.dump()


def top_functions(path, n):
    out = subprocess.run(["callgrind_annotate", path], capture_output=True,
                         text=True).stdout
    rows = [l for l in out.splitlines() if re.match(r"^\s*[\d,]+ \(", l)]
    return rows[:n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", type=int, default=300)
    ap.add_argument("--scenario", action="append", choices=SCENARIOS)
    ap.add_argument("--annotate", type=int, default=0, metavar="N")
    ap.add_argument("--keep", action="store_true", help="keep the dumps (for callgrind_annotate)")
    args = ap.parse_args()
    scenarios = args.scenario or list(SCENARIOS)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "keygate", "-p", "keygate-bench"],
                   cwd=bench.ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="kginstr-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYGATE_")}
    env["KEYGATE_LOG"] = "warn"
    server = CallgrindServer(tmp, env, bench.free_port(), tmp)
    try:
        server.keygate("migrate")
        server.keygate("apis", "create", "--identifier", "https://api.example/", "--name", "API",
                       "--scope", "read=Read the data")
        created = json.loads(server.keygate(
            "clients", "create", "--name", "bench", "--type", "m2m", "--scope", "read",
            "--resource", "https://api.example/", "--json").stdout)
        basic = bench.base64.b64encode(
            f"{created['client_id']}:{created['client_secret']}".encode()).decode()
        client = bench.web_client(server)
        server.start()
        print(f"instructions per operation (callgrind, {args.ops} operations each, "
              f"release build, SQLite)")
        for scenario in scenarios:
            if scenario == "cc":
                total, path = client_credentials(server, basic, args.ops)
            else:
                total, path = user_flow(server, client, scenario, args.ops)
            print(f"{scenario:<10} {total / args.ops:>12,.0f}" + (f"  {path}" if args.keep else ""))
            for row in top_functions(path, args.annotate):
                print("    " + row[:160])
    finally:
        server.stop()
        if not args.keep:
            bench.shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
