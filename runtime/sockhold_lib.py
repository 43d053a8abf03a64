"""sockhold.py's parts: the socket it binds, its children, its control files."""
import asyncio
import errno
import json
import os
import signal
import socket
import sys
import time

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sockhold_child.py")
EXIT_USAGE = 2
KEEP_ROLLS = 20
BIND_RETRY_S = 3.0


def log(message):
    print(f"botstack sockhold: {message}", file=sys.stderr, flush=True)


def usage_error(message):
    log(message)
    sys.exit(EXIT_USAGE)


def option(args, name):
    """The value of --name V or --name=V in uvicorn's arguments, or None."""
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return None


def bind_from_uvicorn_args(args):
    """Binds where uvicorn would have (its own defaults: 127.0.0.1:8000, backlog 2048), once."""
    for flag in ("--uds", "--fd", "--reload"):
        if option(args, flag) is not None or flag in args:
            usage_error(f"uvicorn's {flag} cannot run under botstack's socket holder; remove it or launch the service without the holder")
    if int(option(args, "--workers") or "1") > 1:
        usage_error("uvicorn --workers > 1 runs its own supervisor; the socket holder runs one worker per child")
    host = option(args, "--host") or "127.0.0.1"
    port = int(option(args, "--port") or "8000")
    backlog = int(option(args, "--backlog") or "2048")
    family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # A holder SIGKILLed a moment ago: its children die by PR_SET_PDEATHSIG, but may still hold the port
    # for a few ms. Retry briefly rather than exit and cost pm2 a second restart.
    deadline = time.monotonic() + BIND_RETRY_S
    while True:
        try:
            sock.bind(addr)
            break
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or time.monotonic() >= deadline:
                usage_error(f"cannot listen on {host}:{port}: {exc.strerror}; another process holds the port (find it with `ss -ltnp 'sport = :{port}'`)")
            time.sleep(0.05)
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


class Child:
    """One uvicorn child: its process, and the line it says on its ready pipe."""

    live = []

    def __init__(self, sock, args, gate):
        self.sock, self.args, self.gate = sock, args, gate
        self.proc = None
        self.line = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else 0

    @property
    def returncode(self):
        return self.proc.returncode if self.proc else None

    async def start(self):
        r, w = os.pipe()
        fd = self.sock.fileno()
        cmd = [sys.executable, CHILD, "--fd", str(fd), "--ready-fd", str(w), "--parent", str(os.getpid()), *self.gate, "--", *self.args]
        try:
            # Its own process group, so what it spawned goes with it when it is rolled out (pm2's
            # treekill would have taken it; a roll does not go through pm2).
            self.proc = await asyncio.create_subprocess_exec(*cmd, pass_fds=(fd, w), start_new_session=True)
        finally:
            os.close(w)
        Child.live.append(self)
        loop = asyncio.get_running_loop()
        self.line = loop.create_future()
        buf = bytearray()

        def readable():
            chunk = os.read(r, 512)
            buf.extend(chunk)
            if not chunk or b"\n" in buf:
                loop.remove_reader(r)
                os.close(r)
                if not self.line.done():
                    self.line.set_result(buf.split(b"\n", 1)[0].decode(errors="replace") if b"\n" in buf else None)

        loop.add_reader(r, readable)

    async def ready(self, timeout):
        """'ready', or 'failed <reason>'."""
        try:
            line = await asyncio.wait_for(asyncio.shield(self.line), timeout)
        except asyncio.TimeoutError:
            return f"failed not ready within {timeout:g} s"
        if line:
            return line
        code = await self.exited()
        return f"failed exited with code {code} before it was ready (its log says why)"

    def said(self):
        """The line the child wrote on its ready pipe, if it wrote one."""
        return self.line.result() if self.line and self.line.done() else None

    async def exited(self):
        code = await self.proc.wait()
        if self in Child.live:
            Child.live.remove(self)
        return code

    def signal(self, sig):
        try:
            os.kill(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    async def stop(self, timeout, force):
        try:
            await self.stop_leader(timeout, force)
        finally:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # whatever it left behind (a worker it spawned)
            except (ProcessLookupError, PermissionError):
                pass

    async def stop_leader(self, timeout, force):
        if self.returncode is not None:
            await self.exited()
            return
        if not force:
            self.signal(signal.SIGTERM)
            self.signal(signal.SIGCONT)  # a stopped process runs its handler only once continued
            try:
                await asyncio.wait_for(asyncio.shield(self.exited()), timeout)
                return
            except asyncio.TimeoutError:
                log(f"pid {self.pid} still running {timeout:g} s after SIGTERM; SIGKILL")
        self.signal(signal.SIGKILL)
        await self.exited()


class ControlFiles:
    """CONTROL_DIR (0700): control.sock, the roll requests; state.json, the last state and rolls."""

    def __init__(self, folder):
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.stat(folder)
        if st.st_uid != os.getuid():
            usage_error(f"{folder} belongs to uid {st.st_uid}, not to this user; the control socket must be private")
        os.chmod(folder, 0o700)
        self.folder = folder
        self.path = os.path.join(folder, "control.sock")
        self.rolls = []
        self.total = 0
        self.server = None

    async def serve(self, handler):
        if os.path.exists(self.path):
            os.unlink(self.path)  # left by a launcher that was SIGKILLed: nobody answers on it

        async def on_client(reader, writer):
            try:
                line = (await reader.readline()).decode(errors="replace").strip()
                writer.write(((await handler(line)) + "\n").encode())
                await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        self.server = await asyncio.start_unix_server(on_client, path=self.path)

    def record(self, roll):
        self.total += 1
        self.rolls = [*self.rolls, {"at": time.time(), **roll}][-KEEP_ROLLS:]

    def save(self, state):
        tmp = os.path.join(self.folder, f".state.{os.getpid()}.json")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({**state, "last": self.rolls}, fh)
        os.replace(tmp, os.path.join(self.folder, "state.json"))

    def close(self):
        if self.server:
            self.server.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
