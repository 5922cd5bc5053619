"""The Stripe double for the Swift tests (started by Tests/Support/StripeDouble.swift): localstripe
on a free loopback port, written to DIR/port once listening. Its state stays in memory (localstripe
would otherwise pickle every change to /tmp/localstripe.pickle, shared by every instance)."""
import asyncio, logging, os, socket, sys

from aiohttp import web
from localstripe import resources, server

directory = sys.argv[1]
resources.Store.dump_to_disk = lambda self: None
resources.Store.try_load_from_disk = lambda self: None

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(64)
port = sock.getsockname()[1]


async def announce(app):
    with open(os.path.join(directory, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))


logging.basicConfig(level=logging.INFO)
server.app.on_startup.append(announce)
web.run_app(server.app, sock=sock, print=None, access_log=logging.getLogger("aiohttp.access"))
