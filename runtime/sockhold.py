"""The listening socket outlives the uvicorn process: botstack's launcher.

pm2 runs this, with the service's own venv python, as the service's app. It
binds the service's port once and runs uvicorn (sockhold_child.py) as its
child on that socket. pm2 sees one process, this one, whose pid does not
change across a rolling restart; the child writes to the same stdout/stderr,
so pm2 keeps one log per service.

A rolling restart, asked on the control socket (CONTROL_DIR/control.sock):
  1. start a new child on the same socket, health-gated in-process (it
     accepts nothing until its app answered the health path with a 2xx);
  2. if it fails: stop it; the old child never stopped serving;
  3. if it is ready: stop the old child, SIGTERM (uvicorn finishes in-flight
     requests) then SIGKILL after the stop timeout; a hung old child
     ("roll <cause> kill-old") is SIGKILLed at once.
Connections that arrive meanwhile wait in the socket's backlog, which both
children accept from: none is refused, none reset.

Protocol, one line each way: "roll <cause> [kill-old] [within=SEC]" -> "ok <new pid> <ms>"
or "failed <reason>"; "status" -> a JSON line. The same state, with the last
rolls, is in CONTROL_DIR/state.json.

If the current child exits on its own, this exits with its code, so pm2 sees
the crash, counts it and restarts the service as it always has.

usage: python sockhold.py [--control DIR] [--gate PATH] [--gate-status N]
           [--gate-timeout SEC] [--stop-timeout SEC] [--start-timeout SEC]
           -- [UVICORN_SCRIPT] UVICORN_ARGS...
Defaults come from BOTSTACK_SOCKHOLD_DIR, BOTSTACK_PROBE_PATH,
BOTSTACK_GATE_STATUS, BOTSTACK_{GATE,STOP,START}_TIMEOUT_MS (milliseconds).
A first argument ending in "uvicorn" (the venv's console script, as pm2 ran
it before) is dropped: the child runs uvicorn itself.
"""
import argparse
import asyncio
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sockhold_lib import Child, ControlFiles, bind_from_uvicorn_args, log  # noqa: E402


class Holder:
    def __init__(self, opts, sock, args):
        self.opts, self.sock, self.args = opts, sock, args
        self.current = None
        self.lock = asyncio.Lock()
        self.stopping = asyncio.Event()
        self.exit_code = 0
        self.files = ControlFiles(opts.control) if opts.control else None

    async def spawn(self, gated):
        gate = ["--gate", self.opts.gate, "--gate-timeout", str(self.opts.gate_timeout), "--gate-status", str(self.opts.gate_status)] if gated and self.opts.gate else []
        child = Child(self.sock, self.args, gate)
        await child.start()
        return child

    async def run(self):
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.stopping.set)
        # The first start is not gated: no old child is serving, and a service
        # whose health is down at boot (its database not up yet) must still start.
        self.current = await self.spawn(gated=False)
        self.watch(self.current)
        if self.files:
            await self.files.serve(self.request)
            self.save()
        await self.stopping.wait()
        await self.shutdown()
        return self.exit_code

    def watch(self, child):
        async def on_exit():
            code = await child.exited()
            if child is self.current and not self.stopping.is_set():
                log(f"uvicorn (pid {child.pid}) exited with {code}; exiting so pm2 restarts the service")
                self.exit_code = code if code > 0 else 1
                self.stopping.set()

        asyncio.get_running_loop().create_task(on_exit())

    async def request(self, line):
        words = line.split()
        if words[:1] == ["status"]:
            return self.status_json()
        if words[:1] != ["roll"]:
            return "failed unknown request (expected: roll <cause> [kill-old] | status)"
        cause = words[1] if len(words) > 1 else "restart"
        # "within=SEC": the caller's own deadline for the new process (a deploy's --health-timeout).
        within = [float(w.split("=", 1)[1]) for w in words[2:] if w.startswith("within=") and w[7:].replace(".", "", 1).isdigit()]
        ok, text = await self.roll(cause, kill_old="kill-old" in words[2:], within=within[0] if within else None)
        return ("ok " if ok else "failed ") + text

    async def roll(self, cause, kill_old, within=None):
        try:
            return await self.roll_locked(cause, kill_old, within or self.opts.start_timeout)
        finally:
            self.save()

    async def roll_locked(self, cause, kill_old, within):
        async with self.lock:
            if self.stopping.is_set():
                return False, "the service is stopping"
            t0 = asyncio.get_running_loop().time()
            old = self.current
            new = await self.spawn(gated=True)
            outcome = await new.ready(within)
            ms = round((asyncio.get_running_loop().time() - t0) * 1000)
            if outcome != "ready":
                reason = outcome.removeprefix("failed ").strip() or "the new process failed"
                await new.stop(self.opts.stop_timeout, force=False)
                said = new.said()
                if said and said.removeprefix("failed ") not in reason:
                    reason = f"{reason}: {said.removeprefix('failed ')}"  # what its gate last saw
                log(f"rolling restart ({cause}) failed, pid {old.pid} keeps serving: {reason}")
                self.record(cause, False, ms, reason, old.pid)
                return False, reason
            self.current = new
            self.watch(new)
            log(f"rolling restart ({cause}): pid {new.pid} ready in {ms} ms, stopping pid {old.pid}{' (SIGKILL: hung)' if kill_old else ''}")
            await old.stop(self.opts.stop_timeout, force=kill_old)
            self.record(cause, True, ms, None, new.pid)
            return True, f"{new.pid} {ms}"

    def record(self, cause, ok, ms, reason, pid):
        if self.files:
            self.files.record({"cause": cause, "ok": ok, "ms": ms, "pid": pid, **({"reason": reason} if reason else {})})

    def status_json(self):
        import json

        return json.dumps(self.state())

    def state(self):
        rolls = self.files.rolls if self.files else []
        total = self.files.total if self.files else 0
        return {"pid": os.getpid(), "child": self.current.pid if self.current else 0, "port": self.sock.getsockname()[1], "rolling": self.lock.locked(), "rolls": total, "last": rolls[-5:]}

    def save(self):
        if self.files:
            self.files.save(self.state())

    async def shutdown(self):
        if self.files:
            self.files.close()
        children = [c for c in Child.live if c.returncode is None]
        await asyncio.gather(*(c.stop(self.opts.stop_timeout, force=False) for c in children))


def main(argv):
    # Defaults from the environment botstack's compile gives the pm2 app, so the
    # command line pm2 shows stays the service's own, behind "--".
    env = os.environ
    seconds = lambda key, default: float(env[key]) / 1000 if env.get(key) else default  # noqa: E731
    parser = argparse.ArgumentParser(prog="sockhold.py")
    parser.add_argument("--control", default=env.get("BOTSTACK_SOCKHOLD_DIR") or None)
    parser.add_argument("--gate", default=env.get("BOTSTACK_PROBE_PATH") or None)
    parser.add_argument("--gate-status", type=int, default=int(env.get("BOTSTACK_GATE_STATUS") or 0))
    parser.add_argument("--gate-timeout", type=float, default=seconds("BOTSTACK_GATE_TIMEOUT_MS", 10.0))
    parser.add_argument("--stop-timeout", type=float, default=seconds("BOTSTACK_STOP_TIMEOUT_MS", 15.0))
    parser.add_argument("--start-timeout", type=float, default=seconds("BOTSTACK_START_TIMEOUT_MS", 60.0))
    parser.add_argument("uvicorn_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    args = opts.uvicorn_args[1:] if opts.uvicorn_args[:1] == ["--"] else opts.uvicorn_args
    if args and os.path.basename(args[0]) == "uvicorn":
        args = args[1:]
    sock = bind_from_uvicorn_args(args)
    sys.exit(asyncio.run(Holder(opts, sock, args).run()))


if __name__ == "__main__":
    main(sys.argv[1:])
