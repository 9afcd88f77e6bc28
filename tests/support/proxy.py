"""A TCP proxy on a loopback port in front of the test PostgreSQL server, with one fault.

It forwards both ways, reading the client's PostgreSQL protocol messages as they pass. Armed
with `drop_next_commit_reply`, it lets the next COMMIT reach the server, swallows the server's
whole reply (so the transaction IS committed) and then closes the connection: the client sees a
network drop at the one moment it cannot tell whether its write landed.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104
_READY_FOR_QUERY = b"Z\x00\x00\x00\x05"


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = b""
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("closed")
        chunks += chunk
    return chunks


def _query_of(kind: bytes, body: bytes) -> str | None:
    """The SQL of a simple query ('Q') or of a parse ('P': name, then the query)."""
    if kind == b"Q":
        return body.split(b"\x00", 1)[0].decode("utf-8", "replace")
    if kind == b"P":
        parts = body.split(b"\x00", 2)
        return parts[1].decode("utf-8", "replace") if len(parts) > 1 else None
    return None


@dataclass
class _Link:
    client: socket.socket
    server: socket.socket
    dropping: threading.Event = field(default_factory=threading.Event)

    def close(self) -> None:
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


class DroppingProxy:
    """Forwards 127.0.0.1:`port` to the server at `upstream_port`; see the module's docstring."""

    def __init__(self, upstream_port: int, port: int = 0) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", port))
        self.port = int(self._listener.getsockname()[1])
        self._armed = threading.Lock()
        self._drop = False
        self.dropped = threading.Event()  # set once a COMMIT's reply was swallowed
        self._links: list[_Link] = []
        self._stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str, user: str = "parstudio") -> str:
        return (
            f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"
            "?sslmode=disable&gssencmode=disable"
        )

    def drop_next_commit_reply(self) -> None:
        """Let the next COMMIT through, swallow its reply and cut that connection."""
        with self._armed:
            self._drop = True
            self.dropped.clear()

    def _take_drop(self) -> bool:
        with self._armed:
            taken, self._drop = self._drop, False
            return taken

    def close(self) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):  # wakes the accept() and stops listening at once
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for link in self._links:
            link.close()

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream_port))
            link = _Link(client, server)
            self._links.append(link)
            threading.Thread(target=self._client_to_server, args=(link,), daemon=True).start()
            threading.Thread(target=self._server_to_client, args=(link,), daemon=True).start()

    def _client_to_server(self, link: _Link) -> None:
        try:
            starting = True
            while True:
                if starting:  # untyped start-up messages: length, then a protocol code
                    head = _read_exactly(link.client, 8)
                    length, code = struct.unpack("!ii", head)
                    link.server.sendall(head + _read_exactly(link.client, length - 8))
                    starting = code in (_SSL_REQUEST, _GSS_REQUEST)
                    continue
                kind = _read_exactly(link.client, 1)
                (length,) = struct.unpack("!i", _read_exactly(link.client, 4))
                body = _read_exactly(link.client, length - 4)
                query = _query_of(kind, body)
                if query is not None and query.strip().upper() == "COMMIT" and self._take_drop():
                    link.dropping.set()  # before the server can answer
                link.server.sendall(kind + struct.pack("!i", length) + body)
        except (ConnectionError, OSError):
            link.close()

    def _server_to_client(self, link: _Link) -> None:
        swallowed = b""
        try:
            while True:
                data = link.server.recv(65536)
                if not data:
                    break
                if link.dropping.is_set():
                    swallowed += data
                    if _READY_FOR_QUERY in swallowed:  # the server has committed and answered
                        self.dropped.set()
                        break
                    continue
                link.client.sendall(data)
        except OSError:
            pass
        link.close()
