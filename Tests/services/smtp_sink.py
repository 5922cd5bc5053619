"""An SMTP sink for the Swift tests (started by Tests/Support/SMTPSink.swift).

Listens on a free loopback port and writes the port to DIR/port once listening. Each accepted message
becomes DIR/NNNNNN.eml (the raw bytes after DATA) and DIR/NNNNNN.json: the envelope, whether the
client authenticated, and what Python's `email` parser makes of it (headers, parts, defects).

Options: --reject REGEX   answer 550 to RCPT TO addresses matching REGEX
         --stall          never answer the end of DATA (for kill -9 tests)
         --auth USER:PASS offer AUTH PLAIN/LOGIN without TLS and require it
         --no-parse       record envelope and raw bytes only (for throughput measurements)
         --tls MODE       "starttls" (offered, not required) or "implicit" (smtps), with a self-signed
                          certificate for 127.0.0.1 made with openssl into DIR/cert.pem
"""
import argparse, asyncio, base64, email, email.policy, json, os, re, ssl, subprocess, sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parsed(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            parts.append({"content_type": part.get_content_type(), "multipart": True,
                          "boundary": part.get_boundary()})
            continue
        payload = part.get_payload(decode=True) or b""
        entry = {"content_type": part.get_content_type(), "multipart": False,
                 "params": {k: str(v) for k, v in part.get_params() or []},
                 "filename": part.get_filename(), "charset": part.get_content_charset(),
                 "transfer_encoding": part.get("Content-Transfer-Encoding"),
                 "payload_base64": base64.b64encode(payload).decode()}
        if part.get_content_maintype() == "text":
            entry["text"] = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
        parts.append(entry)
    defects = [type(d).__name__ for p in message.walk() for d in p.defects]
    return {"headers": [[name, str(value)] for name, value in message.items()],
            "parts": parts, "defects": defects}


class Handler:
    def __init__(self, directory, reject, stall, parse):
        self.directory, self.reject, self.stall, self.parse, self.count = directory, reject, stall, parse, 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and re.search(self.reject, address):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall:
            await asyncio.sleep(3600)
        self.count += 1
        name = os.path.join(self.directory, "%06d" % self.count)
        raw = envelope.original_content or envelope.content
        with open(name + ".eml", "wb") as f:
            f.write(raw)
        tls = server.transport.get_extra_info("sslcontext") is not None \
            or getattr(server, "_tls_protocol", None) is not None
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "peer_port": session.peer[1],
                  "tls": tls,
                  "auth_login": getattr(session, "bizing_login", None)}
        try:
            if self.parse:
                record["parsed"] = parsed(raw)
        except Exception as error:  # the test asserts on this
            record["parse_error"] = repr(error)
        with open(name + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(name + ".tmp", name + ".json")
        return "250 Message accepted for delivery"


def main():
    options = argparse.ArgumentParser()
    options.add_argument("directory")
    options.add_argument("--reject")
    options.add_argument("--stall", action="store_true")
    options.add_argument("--auth")
    options.add_argument("--no-parse", action="store_true")
    options.add_argument("--tls", choices=["starttls", "implicit"])
    args = options.parse_args()
    handler = Handler(args.directory, args.reject, args.stall, not args.no_parse)
    extra = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            if ok:
                session.bizing_login = auth_data.login.decode()
            return AuthResult(success=ok, handled=False)

        extra = {"authenticator": authenticator, "auth_require_tls": False, "auth_required": True}

    context = None
    if args.tls:
        cert, key = os.path.join(args.directory, "cert.pem"), os.path.join(args.directory, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        if args.tls == "starttls":
            extra["tls_context"] = context

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="sink.localhost", loop=loop, **extra), "127.0.0.1", 0,
        ssl=context if args.tls == "implicit" else None))
    port = server.sockets[0].getsockname()[1]
    with open(os.path.join(args.directory, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(args.directory, "port.tmp"), os.path.join(args.directory, "port"))
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
