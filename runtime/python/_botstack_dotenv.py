"""KEY=VALUE lines of a .env file: the one reader of botstack's Python side.

Used by runtime/envexec.py (which loads a service's secrets before it execs it)
and by _botstack_redact.py (which redacts those values from the service's output).
`export ` is allowed, one pair of matching quotes is stripped, comments and blank
lines are skipped. A missing file is an empty one; any other error is the caller's.
"""


def parse_dotenv(path):
    values = {}
    try:
        handle = open(path, encoding="utf-8")
    except FileNotFoundError:
        return values
    with handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            if line.startswith("export "):
                line = line[len("export "):]
            key, _, value = line.partition("=")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[key.strip()] = value
    return values
