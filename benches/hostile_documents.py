#!/usr/bin/env python3
"""Server CPU per request for hostile GraphQL documents, measured from /proc/PID/stat.

Starts the server binary on a fresh SQLite database (anonymous caller, default limits), sends each
document REQUESTS times one after another, and prints, per document, its size, the code it was
answered with, the server's CPU (user + system) per request and the median wall time. The target
is under 50 ms of CPU for any document up to the body limit (256 KiB by default).

    benches/hostile_documents.py --bin target/release/champion-tracker [--requests 20]
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

BODY_LIMIT = 256 * 1024


def documents():
    limit = BODY_LIMIT - 100
    cycle = "query { ...C0 } fragment C0 on Query { me { id } ...C1 ...C1 } fragment C1 on Query { ...C0 ...C0 }"
    bomb = "query { ...F0 }" + "".join(
        f" fragment F{i} on Query {{ me {{ id }} ...F{i + 1} ...F{i + 1} }}" for i in range(30)
    ) + " fragment F30 on Query { me { id } }"
    fields = "".join(f"f{i}: me {{ id }} " for i in range(40))
    spreads = "".join(f"...W{i % 3} " for i in range(60))
    wide = (
        f"{{ ...Top }} fragment Top on Query {{ {spreads} }} fragment W0 on Query {{ {fields} }} "
        "fragment W1 on Query { ...W0 ...W0 } fragment W2 on Query { ...W1 ...W1 }"
    )
    deep_fields = "{ a " * (limit // 8) + "}" * (limit // 8)
    deep_lists = "{ countries(filter: { iso3: " + "[" * (limit // 3) + "]" * (limit // 3) + " }) { totalCount } }"
    deep_objects = "{ countries(filter: " + "{a: " * (limit // 8) + "}" * (limit // 8) + ") { totalCount } }"
    many_fragments = "{ ...G0 } " + "".join(f"fragment G{i} on Query {{ me {{ id }} }} " for i in range(limit // 40))
    aliases = "{ " + "".join(f"a{i}: __typename " for i in range(limit // 20)) + "}"
    return [
        ("baseline { __typename }", "{ __typename }"),
        ("fragment cycle (99 bytes)", cycle),
        ("fragment bomb, 2^30 expanded", bomb),
        ("wide fragments", wide),
        ("nested fields to the body limit", deep_fields),
        ("nested lists to the body limit", deep_lists),
        ("nested objects to the body limit", deep_objects),
        ("many fragments to the body limit", many_fragments),
        ("many aliases to the body limit", aliases),
    ]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def post(url, query):
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(url, body, {"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/champion-tracker")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        env = dict(os.environ, APP_ENV="development", BIND_ADDR=f"127.0.0.1:{port}",
                   DATABASE_URL=f"sqlite://{work}/bench.db", LOG_LEVEL="warn")
        server = subprocess.Popen([args.bin, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/graphql"
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            print(f"{'document':36} {'bytes':>8} {'code':28} {'CPU ms/req':>10} {'p50 ms':>8}")
            for name, query in documents():
                post(url, query)  # warm-up
                walls = []
                before = cpu_ms(server.pid)
                for _ in range(args.requests):
                    started = time.perf_counter()
                    answer = post(url, query)
                    walls.append((time.perf_counter() - started) * 1000)
                used = (cpu_ms(server.pid) - before) / args.requests
                errors = answer.get("errors") or [{}]
                code = errors[0].get("extensions", {}).get("code", "-") if "errors" in answer else "(data)"
                print(f"{name:36} {len(query):>8} {code:28} {used:>10.1f} {statistics.median(walls):>8.1f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
