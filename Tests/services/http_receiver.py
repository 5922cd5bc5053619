"""An HTTP receiver for webhook and outbound-HTTP tests (started by Tests/Support/HTTPReceiver.swift).

Listens on a free loopback port, writes it to DIR/port, and records every request as DIR/NNNNNN.json
(method, path, headers, raw body in base64, the status answered). Special paths:
  /redirect         302 to /target
  /big?bytes=N      200 with N bytes of "x"
  /slow?seconds=S   sleeps S seconds, then 200
  /file/NAME        200 with the file DIR/files/NAME (404 when there is none), for calendar imports
Anything else: 500 for the first --fail-first N requests, then 200 "ok".
"""
import argparse, base64, http.server, json, os, sys, threading, time, urllib.parse


def main():
    options = argparse.ArgumentParser()
    options.add_argument("directory")
    options.add_argument("--fail-first", type=int, default=0)
    args = options.parse_args()
    lock = threading.Lock()
    state = {"count": 0, "answered": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *rest):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            headers, status, payload = {}, 200, b"ok"
            if url.path == "/redirect":
                status, headers = 302, {"Location": "/target"}
            elif url.path == "/big":
                payload = b"x" * int(query.get("bytes", "0"))
            elif url.path == "/slow":
                time.sleep(float(query.get("seconds", "1")))
            elif url.path.startswith("/file/"):
                path = os.path.join(args.directory, "files", os.path.basename(url.path))
                if os.path.isfile(path):
                    payload, headers = open(path, "rb").read(), {"Content-Type": "text/calendar; charset=utf-8"}
                else:
                    status, payload = 404, b"no such file"
            else:
                with lock:
                    state["answered"] += 1
                    if state["answered"] <= args.fail_first:
                        status, payload = 500, b"failing on purpose"
            with lock:
                state["count"] += 1
                name = os.path.join(args.directory, "%06d" % state["count"])
            record = {"method": self.command, "path": self.path, "headers": [[k, v] for k, v in self.headers.items()],
                      "body_base64": base64.b64encode(body).decode(), "status": status}
            with open(name + ".tmp", "w") as f:
                json.dump(record, f)
            os.rename(name + ".tmp", name + ".json")
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(os.path.join(args.directory, "port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(os.path.join(args.directory, "port.tmp"), os.path.join(args.directory, "port"))
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
