"""The servers of the local stack (the HTTP API gateway, the embedded AWS), each in a thread of this process."""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

LOG = logging.getLogger("devstack")


def ensure_free(host: str, port: int) -> None:
    """Fails fast on a busy port, with a hint, rather than with werkzeug's traceback."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as error:
            raise SystemExit(
                f"{host}:{port} is in use ({error.strerror}): another stack? Pick --port/--aws-port"
            ) from error


class HttpServer:
    """A threaded WSGI server, one thread per request."""

    def __init__(self, host: str, port: int, app: Any, request_handler: Any = None) -> None:
        ensure_free(host, port)
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True, request_handler=request_handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="gateway", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
