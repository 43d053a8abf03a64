"""Load KEY=VALUE lines from an env file, then exec the real program.

pm2 records every app's environment in dump.pm2 and prints it in `pm2 show`.
Secrets that live only in <root>/.env are read here, at spawn, inside the
service's own process, so pm2 never holds them. exec keeps the same PID, so pm2
and signals see the real program. Variables already set are not overridden.

usage: python envexec.py ENV_FILE PROGRAM [ARGS...]
"""
import os
import sys


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))
from _botstack_dotenv import parse_dotenv as parse  # noqa: E402  (botstack's one .env reader)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("envexec: usage: envexec.py ENV_FILE PROGRAM [ARGS...]\n")
        sys.exit(2)
    for key, value in parse(sys.argv[1]).items():
        os.environ.setdefault(key, value)
    program = sys.argv[2]
    os.execv(sys.executable, [sys.executable, program] + sys.argv[3:])


if __name__ == "__main__":
    main()
