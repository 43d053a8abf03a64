"""sockhold_child.py's health gate: the app's health path asked in-process, through ASGI.

No network: the child shares its listening socket with the child still
serving, so anything it listened with would take users' connections too.
Access logging lives in uvicorn's protocol, not the app, so these calls leave
no access line.
"""
import asyncio
import time


async def ask(app, path, root_path):
    """GET path through the ASGI app, in-process: the status code, or None."""
    bare, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "method": "GET", "scheme": "http", "path": bare, "raw_path": bare.encode(), "query_string": query.encode(),
        "root_path": root_path, "headers": [(b"host", b"127.0.0.1"), (b"user-agent", b"botstack-gate")],
        "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0),
    }
    status = {}
    done = asyncio.Event()

    async def receive():
        if not status.get("asked"):
            status["asked"] = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            status["code"] = message["status"]
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            done.set()

    await app(scope, receive, send)
    done.set()
    return status.get("code")


async def gate(server, path, timeout, status=0):
    """None when PATH answered 2xx (or `status`) in time; otherwise why not. Retries while it answers otherwise."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while not server.should_exit:
        left = deadline - time.monotonic()
        try:
            code = await asyncio.wait_for(ask(server.config.loaded_app, path, server.config.root_path), max(left, 0.05))
            if code is not None and (200 <= code < 300 or code == status):
                return None
            last = f"GET {path} answered {code}"
        except asyncio.TimeoutError:
            last = f"GET {path} did not answer within {timeout:g} s"
        except Exception as exc:  # the app raised: that is a failed check, not a crash of the gate
            last = f"GET {path} raised {type(exc).__name__}: {exc}"
        if time.monotonic() + 0.2 >= deadline:
            return last
        await asyncio.sleep(0.2)
    return f"stopped during the health gate (last: {last})"
