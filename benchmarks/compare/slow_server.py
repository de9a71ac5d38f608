#!/usr/bin/python3
"""W7's server: answers every GET after a fixed latency (default 1 s), on CPython asyncio.

  /usr/bin/python3 slow_server.py [--port N] [--latency SECONDS]

Listens on 127.0.0.1 (port 0 = a free one), prints ``serving on http://127.0.0.1:PORT/`` and serves until
it is stopped. Each connection carries one request: the answer (``200``, body ``ok``) goes out
``--latency`` seconds after the request head arrived, with ``Connection: close``, and the server closes
the connection (so the TIME_WAIT sockets are the server's, not the client's ephemeral ports).

10,000 connections opened at once overflow one listening socket's accept queue (at most
net.core.somaxconn, 4096 by default): the kernel drops the handshakes that do not fit and the clients
retry a second later or more. So the server listens with four SO_REUSEPORT sockets on the one port,
each with the largest backlog, among which the kernel spreads the connections.
"""

import asyncio
import sys

LISTENERS = 4  # SO_REUSEPORT sockets on one port: the kernel spreads the connections over their queues
BACKLOG = 65535  # capped by net.core.somaxconn (4096 by default): 4 x 4096 queued connections at most
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

    first = await asyncio.start_server(handle, "127.0.0.1", port, backlog=BACKLOG, reuse_port=True)
    host, bound = first.sockets[0].getsockname()[:2]
    servers = [first] + [await asyncio.start_server(handle, host, bound, backlog=BACKLOG, reuse_port=True)
                         for _ in range(LISTENERS - 1)]
    print(f"serving on http://{host}:{bound}/", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


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
