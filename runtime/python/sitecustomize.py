"""botstack's start-up hook for the Python services pm2 runs for it.

The stack puts this folder first on PYTHONPATH for its Python services, so
Python imports this file at start-up, before the service's own code. The
service itself is not changed. It does two things, then hands over to the
sitecustomize it shadows (Debian's, or a venv's), which runs as before.

1. Whole lines. pm2 sets PYTHONUNBUFFERED=1 for every Python interpreter, and
   unbuffered Python writes each piece of a print on its own: print("a", x)
   is four writes ("a", " ", x, "\\n"). pm2 stamps every chunk it reads as a
   line, so one print can land as four log lines, and a chunk that ends
   mid-line loses its tail. Line buffering makes one write per line, and
   still writes every line as soon as it ends: nothing before the last
   newline is lost when the service crashes or is killed.

2. Quiet probes. uvicorn logs every request, the monitor's health probes
   included: one a second is 86,000 lines a day burying the service's own.
   When BOTSTACK_PROBE_PATH is set, uvicorn's access lines for exactly that
   path from a loopback client, answered below 400, are kept only once per
   BOTSTACK_PROBE_LOG_EVERY seconds (default 61, so that any hour holds at
   most 60; 0 keeps them all). Every other access line is kept, and so is
   every failed probe.

3. Secrets out of the log files. When BOTSTACK_REDACT_KEYS or
   BOTSTACK_REDACT_ENV_FILE is set (the stack sets them for a service with
   `redactLogs`, on by default when it declares `secrets`), sys.stdout and
   sys.stderr redact every whole line before it is written, with botstack's
   one rule (src/util/redact.ts): any run of 12 or more characters of a
   secret value becomes [redacted:KEY]; a value of 6 to 11 characters only
   whole, as a word. The values are read here, in the service's process:
   every value in the .env file, and each named key's value from the
   environment. pm2 holds only the key names and the path. A line is held
   until its newline, so a secret printed in two pieces is caught; a partial
   line is written at exit, or once it passes 64 KiB.
"""
import os
import sys


def _line_buffered():
    for name in ("stdout", "stderr"):
        reconfigure = getattr(getattr(sys, name, None), "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(line_buffering=True, write_through=False)
        except (ValueError, OSError):
            pass


def _quiet_probes(path):
    import logging
    import time

    try:
        every = float(os.environ.get("BOTSTACK_PROBE_LOG_EVERY", "61"))
    except ValueError:
        every = 61.0
    if every <= 0:
        return

    def loopback(client):
        host = str(client).rsplit(":", 1)[0].strip("[]")
        return host.startswith("127.") or host in ("::1", "localhost")

    class ProbeAccessFilter(logging.Filter):
        """Drops the monitor's own successful probes from uvicorn's access log, keeping one per `every` seconds."""

        last = None

        def filter(self, record):
            args = record.args if isinstance(record.args, tuple) else ()
            # uvicorn's access record: (client_addr, method, path, http_version, status_code)
            if len(args) != 5 or args[2] != path or not loopback(args[0]):
                return True
            try:
                if int(args[4]) >= 400:
                    return True
            except (TypeError, ValueError):
                return True
            now = time.monotonic()
            if self.last is not None and now - self.last < every:
                return False
            self.last = now
            return True

    # uvicorn's dictConfig later replaces this logger's handlers, but keeps its filters.
    logging.getLogger("uvicorn.access").addFilter(ProbeAccessFilter())


def _chain():
    """Runs the sitecustomize this file shadows on sys.path, if there is one."""
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    for entry in sys.path:
        if not entry or os.path.abspath(entry) == here:
            continue
        candidate = os.path.join(entry, "sitecustomize.py")
        if os.path.isfile(candidate):
            spec = importlib.util.spec_from_file_location("_botstack_shadowed_sitecustomize", candidate)
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
            except Exception as err:  # the shadowed hook failing must not stop the service
                sys.stderr.write("botstack: %s failed: %r\n" % (candidate, err))
            return


_line_buffered()
if os.environ.get("BOTSTACK_REDACT_KEYS") or os.environ.get("BOTSTACK_REDACT_ENV_FILE"):
    import _botstack_redact

    _botstack_redact.install()
if os.environ.get("BOTSTACK_PROBE_PATH"):
    _quiet_probes(os.environ["BOTSTACK_PROBE_PATH"])
_chain()
