"""Tiny stand-ins for the bot stack's services, on the standard library only, so
the demo runs on a fresh machine with nothing but Node.js and python3.

usage: service.py api|web|bot
  api  HTTP on $PORT, GET /health: 200, or 503 while MongoDB ($MONGO_URL) refuses TCP
HTTP binds $HOST (default 127.0.0.1; a container sets 0.0.0.0).
  web  HTTP on $PORT, GET /api/health: 200
  bot  no port; touches $BOTSTACK_HEARTBEAT every 2 s, as a real bot's polling loop would
"""
import json
import os
import pathlib
import signal
import socket
import sys
import time
from urllib.parse import urlsplit
from http.server import BaseHTTPRequestHandler, HTTPServer

ROLE = sys.argv[1] if len(sys.argv) > 1 else "api"


def mongo_address():
    # mongodb://127.0.0.1:17017 on the VPS; botstack export rewrites it to mongodb://mongod:17017.
    url = urlsplit(os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27017"))
    return (url.hostname or "127.0.0.1", url.port or 27017)


def mongo_up():
    try:
        with socket.create_connection(mongo_address(), timeout=0.3):
            return True
    except (OSError, KeyError, ValueError):
        return False


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = "/health" if ROLE == "api" else "/api/health"
        if self.path != path:
            return self.reply(404, {"error": "not found"})
        if ROLE == "api" and not mongo_up():
            return self.reply(503, {"status": "mongo down"})
        return self.reply(200, {"status": "ok", "service": ROLE, "pid": os.getpid()})

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # health probes every second would flood the log
        pass


def stop(*_):
    print(f"{ROLE}: stopping", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)

if ROLE == "bot":
    beat = pathlib.Path(os.environ.get("BOTSTACK_HEARTBEAT", "run/bot.heartbeat"))
    beat.parent.mkdir(parents=True, exist_ok=True)
    print(f"bot: polling (token {'present' if os.environ.get('TELEGRAM_BOT_TOKEN') else 'absent: demo mode'})", flush=True)
    while True:
        beat.touch()
        time.sleep(2)
else:
    host = os.environ.get("HOST", "127.0.0.1")
    server = HTTPServer((host, int(os.environ["PORT"])), Handler)
    print(f"{ROLE}: listening on {host}:{os.environ['PORT']}", flush=True)
    server.serve_forever()
