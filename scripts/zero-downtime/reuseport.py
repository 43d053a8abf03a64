"""The rejected alternative, for scripts/bench-zero-downtime.ts: two instances on SO_REUSEPORT.

Each instance binds its own socket on the same port with SO_REUSEPORT (uvicorn
0.17.6 cannot, so this binds it and hands it to sockhold_child.py on --fd). A
roll starts the new instance on a new socket, waits until it is ready, then
stops the old one and closes the old socket. With net.ipv4.tcp_migrate_req=0
(the default), connections still in the old socket's accept queue are reset.

usage: python reuseport.py PORT -- UVICORN_ARGS...   (stdin: "roll [kill-old]" lines; stdout: "rolled <pid>")
"""
import os
import signal
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHILD = os.path.join(HERE, "..", "..", "runtime", "sockhold_child.py")


def instance(port, args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    r, w = os.pipe()
    cmd = [sys.executable, CHILD, "--fd", str(sock.fileno()), "--ready-fd", str(w), "--parent", str(os.getpid()), "--", *args]
    proc = subprocess.Popen(cmd, pass_fds=(sock.fileno(), w))
    os.close(w)
    line = os.read(r, 512)
    os.close(r)
    if not line.startswith(b"ready"):
        sys.exit(f"reuseport: instance failed: {line!r}")
    return sock, proc


def main():
    port = int(sys.argv[1])
    args = sys.argv[3:] if sys.argv[2:3] == ["--"] else sys.argv[2:]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    current = instance(port, args)
    print(f"ready {current[1].pid}", flush=True)
    try:
        for line in sys.stdin:
            if line.split()[:1] != ["roll"]:
                continue
            new = instance(port, args)
            old, current = current, new
            old[1].send_signal(signal.SIGKILL if "kill-old" in line else signal.SIGTERM)
            old[0].close()
            old[1].wait()
            print(f"rolled {new[1].pid}", flush=True)
    finally:
        current[1].send_signal(signal.SIGTERM)
        current[1].wait()


if __name__ == "__main__":
    main()
