#!/usr/bin/python3
"""W7's server: answers every GET after a fixed latency (default 1 s), on CPython asyncio.

  /usr/bin/python3 slow_server.py [--port N] [--latency SECONDS]

Listens on 127.0.0.1 (port 0 = a free one), prints ``serving on http://127.0.0.1:PORT/`` and serves until
it is stopped. Each connection carries one request: the answer (``200``, body ``ok``) goes out
``--latency`` seconds after the request head arrived, with ``Connection: close``, and the server closes
the connection (so the TIME_WAIT sockets are the server's, not the client's ephemeral ports). The listen
backlog is the kernel's maximum, so 10,000 connections opened at once are not dropped and retried.
"""

import asyncio
import socket
import sys

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


async def serve(port, latency):
    async def handle(reader, writer):
        try:
            await reader.readuntil(b"\r\n\r\n")
            await asyncio.sleep(latency)
            writer.write(RESPONSE)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=socket.SOMAXCONN * 16)
    host, bound = server.sockets[0].getsockname()[:2]
    print(f"serving on http://{host}:{bound}/", flush=True)
    async with server:
        await server.serve_forever()


def main(argv):
    port, latency = 0, 1.0
    it = iter(argv)
    for a in it:
        if a == "--port":
            port = int(next(it))
        elif a == "--latency":
            latency = float(next(it))
        else:
            print("usage: slow_server.py [--port N] [--latency SECONDS]", file=sys.stderr)
            return 2
    try:
        asyncio.run(serve(port, latency))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
