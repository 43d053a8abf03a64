"""One uvicorn server on a listening socket it inherits, health-gated.

sockhold.py (the launcher pm2 runs) holds the service's listening socket and
starts this as its child. The uvicorn command line is the service's own and is
parsed by uvicorn itself; only where it listens changes: on --fd, the socket
the launcher bound once, shared by every child the launcher ever starts.

With --gate PATH the child serves nobody until its own app has answered
GET PATH with a 2xx. Because the socket is shared, a child that starts
serving takes connections from the queue at once, so the check cannot be made
over the network: it runs in-process, through ASGI, after the app's lifespan
startup and before the server accepts its first connection. A commit whose
health path answers 5xx therefore never receives a user's request; the child
exits with EXIT_GATE and the old child keeps serving.

The launcher learns the outcome on --ready-fd: one line, "ready" or
"failed <reason>".

usage: python sockhold_child.py --fd N --ready-fd N --parent PID
           [--gate PATH] [--gate-status N] [--gate-timeout SEC] -- UVICORN_ARGS...
"""
import argparse
import asyncio
import os
import signal
import socket
import sys

# botstack's runtime folder is on the path only for this import: the app's own imports never see it.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sockhold_gate import gate  # noqa: E402

del sys.path[0]

EXIT_GATE = 3
EXIT_USAGE = 2
# How long a child being rolled out keeps its kept-alive connections open,
# answering each with "Connection: close", before uvicorn closes what is idle.
DRAIN_S = 0.5


def die_with_parent(parent):
    # If the launcher is SIGKILLed, a child left behind would hold the port
    # and the launcher pm2 starts next could not bind it.
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def uvicorn_kwargs(argv):
    """The app and Config keyword arguments uvicorn's own CLI builds from argv."""
    import uvicorn  # noqa: F401  (uvicorn/__init__ shadows the module name "uvicorn.main" with the command)

    um = sys.modules["uvicorn.main"]
    captured = {}
    real_run = um.run
    um.run = lambda app, **kw: captured.update(app=app, kw=kw)
    try:
        um.main.main(args=list(argv), prog_name="uvicorn", standalone_mode=False)
    finally:
        um.run = real_run
    if "app" not in captured:
        sys.stderr.write("botstack sockhold: uvicorn did not accept its arguments\n")
        sys.exit(EXIT_USAGE)
    kw = captured["kw"]
    app_dir = kw.pop("app_dir", None)
    if app_dir is not None:
        sys.path.insert(0, app_dir)
    kw["fd"] = None  # we pass the socket ourselves, with its real family
    return captured["app"], kw


def close_after_each_response(draining):
    """While draining, every response says "Connection: close", and the connection closes after it.

    uvicorn's own graceful stop closes idle kept-alive connections at once: a
    client that sent its next request on one at that moment gets a reset. A
    client told "Connection: close" opens a new connection for its next
    request instead, and that one waits in the shared queue for the new child.
    """
    import importlib

    for name in ("h11_impl", "httptools_impl"):
        try:
            impl = importlib.import_module(f"uvicorn.protocols.http.{name}")
        except ImportError:  # httptools is optional
            continue
        patch_send(impl.RequestResponseCycle, draining)


def patch_send(cycle_class, draining):
    real_send = cycle_class.send

    async def send(self, message):
        if draining[0] and message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
            message = {**message, "headers": [*headers, (b"connection", b"close")]}
            self.keep_alive = False
        return await real_send(self, message)

    cycle_class.send = send


def gated_server_class(uvicorn):
    class GatedServer(uvicorn.Server):
        """uvicorn's Server with one step between lifespan startup and the first accept."""

        gate_path = None
        gate_timeout = 10.0
        gate_status = 0
        gate_failure = None
        ready_fd = None
        draining = [False]

        def handle_exit(self, sig, frame):
            # SIGTERM is the holder rolling this child out: drain. SIGINT (pm2's stop) stops as uvicorn always has.
            if sig == signal.SIGTERM and self.started:
                self.draining[0] = True
            super().handle_exit(sig, frame)

        async def shutdown(self, sockets=None):
            if self.draining[0]:
                for server in self.servers:
                    server.close()  # no new connections: they wait in the queue for the new child
                for c in list(self.server_state.connections):
                    if getattr(c, "cycle", None) is not None and not c.cycle.response_complete:
                        c.cycle.keep_alive = False
                await asyncio.sleep(DRAIN_S)
            await super().shutdown(sockets=sockets)

        async def startup(self, sockets=None):
            if self.gate_path:
                self.lifespan = GatedLifespan(self.lifespan, self)
            await super().startup(sockets=sockets)
            if self.started:
                for sock in sockets or []:
                    host, port = sock.getsockname()[:2]
                    print(f"Uvicorn running on http://{host}:{port} (socket held by botstack, pid {os.getpid()})", file=sys.stderr)
                tell(self.ready_fd, "ready")

    return GatedServer


class GatedLifespan:
    """Runs the real lifespan startup, then the health gate; a failed gate reads as a failed startup."""

    def __init__(self, real, server):
        self.real = real
        self.server = server
        self.failed = False

    @property
    def should_exit(self):
        return self.failed or self.real.should_exit

    async def startup(self):
        await self.real.startup()
        if self.real.should_exit:
            return
        why = await gate(self.server, self.server.gate_path, self.server.gate_timeout, self.server.gate_status)
        if why is not None:
            self.failed = True
            self.server.gate_failure = why
            await self.real.shutdown()

    async def shutdown(self):
        await self.real.shutdown()


def tell(fd, line):
    if fd is None:
        return
    try:
        os.write(fd, (line.replace("\n", " ") + "\n").encode())
        os.close(fd)
    except OSError:
        pass


def main(argv):
    parser = argparse.ArgumentParser(prog="sockhold_child.py")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--ready-fd", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--gate")
    parser.add_argument("--gate-timeout", type=float, default=10.0)
    parser.add_argument("--gate-status", type=int, default=0)
    parser.add_argument("uvicorn_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    die_with_parent(opts.parent)
    args = opts.uvicorn_args[1:] if opts.uvicorn_args[:1] == ["--"] else opts.uvicorn_args

    import uvicorn

    app, kw = uvicorn_kwargs(args)
    server = gated_server_class(uvicorn)(config=uvicorn.Config(app, **kw))
    close_after_each_response(server.draining)
    server.gate_path, server.gate_timeout, server.ready_fd = opts.gate, opts.gate_timeout, opts.ready_fd
    server.gate_status = opts.gate_status
    sock = socket.socket(fileno=opts.fd)  # family and type read from the fd
    server.run(sockets=[sock])
    if server.gate_failure is not None:
        print(f"botstack sockhold: the new process failed its health gate and served nothing: {server.gate_failure}", file=sys.stderr)
        tell(opts.ready_fd, f"failed health gate: {server.gate_failure}")
        sys.exit(EXIT_GATE)
    if not server.started:
        tell(opts.ready_fd, "failed uvicorn did not start (see the lines above)")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
