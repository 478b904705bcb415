"""A real HTTP server on 127.0.0.1 that answers every request with one status code.

Used to test how `brikg push` behaves when a store fails: it prints one line per request it
received (method and path) on stdout, so the test can count the retries.

    python status_server.py PORT STATUS
"""
import http.server
import sys

PORT, STATUS = int(sys.argv[1]), int(sys.argv[2])


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        print(self.command, self.path, flush=True)
        body = b"simulated failure\n"
        self.send_response(STATUS)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_DELETE = answer

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
