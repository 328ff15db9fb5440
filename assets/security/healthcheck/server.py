# A tiny web app, standard library only: "/" greets, "/health" says ok.
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGES = {"/": b"Hello, Docker!\n", "/health": b"ok\n"}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = PAGES.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# As PID 1 in a container, Python ignores SIGTERM unless it handles it;
# without this line docker stop waits 10 seconds, then kills.
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
print("Serving on port 8000", flush=True)
ThreadingHTTPServer(("", 8000), Handler).serve_forever()
