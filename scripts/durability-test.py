#!/usr/bin/env python3
"""Durability from outside: every acknowledged booking was fsynced before its 201.

Runs the real `bizing serve` under `strace -f -c -e trace=fsync,fdatasync`, books N free slots of
the demo one after another through the API (each is then its own group-commit batch), stops the
server, and checks that the process made at least one sync call per acknowledged booking. GRDB's
pool resets the writer to `synchronous = NORMAL` when it enables WAL; under NORMAL a WAL commit is
not synced at all, so this fails if the writer ever runs below FULL again.

Usage: scripts/durability-test.py [path/to/bizing]   (default .build/release/bizing)
Exit 0 and "durability: N passed, 0 failed" when it holds.
"""
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/bizing")
BOOKINGS = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                pass
    return found


def call(base, path, key, body=None):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def main():
    if shutil.which("strace") is None:
        print("durability: strace is missing (apt-get install strace)", file=sys.stderr)
        return 1
    data = tempfile.mkdtemp(prefix="bizing-durability-")
    env = dict(os.environ, BIZING_ROOT=ROOT, BIZING_API_RATE="1000", BIZING_API_BURST="1000")
    server = None
    try:
        subprocess.run([BINARY, "demo", "--data-dir", data], check=True, env=env, stdout=subprocess.DEVNULL)
        key = subprocess.run([BINARY, "api-key", "create", "--business", "demo", "--data-dir", data], check=True, env=env,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
        port = free_port()
        counts = os.path.join(data, "strace.txt")
        server = subprocess.Popen(["strace", "-f", "-qq", "-c", "-e", "trace=fsync,fdatasync", "-o", counts,
                                   BINARY, "serve", "--port", str(port), "--data-dir", data, "--log-level", "warning"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = "http://127.0.0.1:%d" % port
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
        later = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 40 * 86400))
        status, answer = call(base, "/api/v1/offers/consultation/availability?from=%s&to=%s" % (today, later), key)
        assert status == 200, (status, answer)
        acknowledged = 0
        for slot in answer["slots"][:BOOKINGS]:
            status, body = call(base, "/api/v1/bookings", key, {"offer": "consultation", "start": slot["start"],
                                                               "customer": {"name": "Dee Durable", "email": "dee@example.com"}})
            if status == 201:
                acknowledged += 1
        # Stop the server itself (strace's child): it finishes, and strace then writes its counts.
        for child in children_of(server.pid):
            os.kill(child, signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        syncs = 0
        for line in open(counts):
            parts = line.split()
            if parts and parts[-1] in ("fsync", "fdatasync"):
                syncs += int(parts[3])
        ok = acknowledged == BOOKINGS and syncs >= acknowledged
        print("durability: %d bookings acknowledged one after another, %d fsync/fdatasync calls by the server" % (acknowledged, syncs))
        print("durability: %d passed, %d failed" % (1 if ok else 0, 0 if ok else 1))
        return 0 if ok else 1
    finally:
        if server is not None:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
