#!/usr/bin/env python3
"""The real size of the verified-token cache (issue 22): N client-credentials tokens, each
introspected by its own client (RFC 7662 §4: a client may introspect its own tokens), so each
becomes a cache entry; prints the server's RSS before, after one round and after a second (the
cache starts over when full, so RSS must stop growing).

Usage: python3 bench/cache_fill.py PORT PID BASIC [N=16384]
  (a running `keygate serve` on 127.0.0.1:PORT with process id PID, and the base64
  "client_id:client_secret" of a machine-to-machine client with the client credentials grant)
"""
import http.client, base64, json, os, sys, time
port, pid, basic = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 16384
def rss():
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS:"): return int(l.split()[1]) / 1024
conn = http.client.HTTPConnection("127.0.0.1", port)
H = {"Authorization": "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded"}
def post(path, body):
    conn.request("POST", path, body, H); r = conn.getresponse(); d = r.read()
    if r.status != 200: sys.exit(f"{path}: {r.status} {d[:200]}")
    return json.loads(d)
print("before", round(rss(), 1))
for rnd in range(2):
    t0 = time.time()
    for i in range(n):
        tok = post("/token", "grant_type=client_credentials")["access_token"]
        a = post("/introspect", "token=" + tok)
        if not a.get("active"): sys.exit("inactive?")
    print(f"round {rnd+1}: {n} tokens introspected in {time.time()-t0:.0f}s, RSS", round(rss(), 1))
