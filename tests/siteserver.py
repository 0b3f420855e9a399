"""Serve a built site over HTTP on 127.0.0.1, as `make serve` does, for the tests."""

import functools
import http.server
import threading
from pathlib import Path


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    def log_request(self, code="-", size="-"):
        self.server.answered.append((self.path, int(code)))

    def log_message(self, format, *args):
        pass  # the tests read `answered`, not a log on stderr


class SiteServer:
    """``python -m http.server --bind 127.0.0.1`` on a free port, in a thread.

    Every request it answers is kept in ``answered`` as ``(path, status)``, so
    a test also sees requests the browser makes on its own (a favicon).
    """

    def __init__(self, directory: Path):
        handler = functools.partial(_RecordingHandler, directory=str(directory))
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.answered = []
        self.answered = self._httpd.answered
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()
