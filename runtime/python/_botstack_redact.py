"""Secrets out of a Python service's stdout and stderr, before pm2 writes them.

Imported by sitecustomize.py (this folder) when the stack turned it on for the
service (BOTSTACK_REDACT_KEYS, BOTSTACK_REDACT_ENV_FILE: key names and a path,
never a value). The rule is botstack's one redactor, src/util/redact.ts:
any run of 12 or more characters of a secret value becomes [redacted:KEY]; a
value of 6 to 11 characters only whole, as a word; shorter values, all-digit
short values and a few setting words never. Lines are written whole: a line
is held until its newline, so a secret printed in two pieces is still one
line when it is redacted.
"""
import os
import re
import sys

from _botstack_dotenv import parse_dotenv

_MIN_RUN = 12
_MIN_WHOLE = 6
# MIN_RUN // 2: every run of MIN_RUN holds an aligned piece this long.
_ANCHOR = 6
_NOT_SECRET = {"production", "development", "staging", "localhost", "127.0.0.1", "0.0.0.0", "warning", "critical"}
_SETTINGS = {"BOTSTACK_ALERT_TELEGRAM_CHAT", "BOTSTACK_ALERT_TELEGRAM_API", "BOTSTACK_ALERT_DISK_MIN_FREE"}
_HOLD_MAX = 64 * 1024


def _dotenv(path):
    """The .env's values, or none when it cannot be read: redaction must never stop a service."""
    try:
        return parse_dotenv(path)
    except (OSError, UnicodeDecodeError):
        return {}


def _secrets():
    pairs = []
    for key in filter(None, os.environ.get("BOTSTACK_REDACT_KEYS", "").split(",")):
        if os.environ.get(key):
            pairs.append((key, os.environ[key]))
    path = os.environ.get("BOTSTACK_REDACT_ENV_FILE")
    for key, value in (_dotenv(path).items() if path else ()):
        if value and key not in _SETTINGS and (key, value) not in pairs:
            pairs.append((key, value))
    return pairs


_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _is_word(ch):
    # ASCII only, as util/redact.ts counts a word character.
    return ch in _WORD


_URL_ORIGIN = re.compile(r"^([a-z][a-z0-9+.-]*://)([^/?#]*)", re.I)


def secret_parts(value):
    """A URL's userinfo and path/query; any other value whole (src/util/redact.ts secretParts)."""
    m = _URL_ORIGIN.match(value)
    if not m:
        return [value]
    authority = m.group(2)
    at = authority.rfind("@")
    parts = ([authority[:at]] if at >= 0 else []) + [value[m.end():]]
    return [p for p in parts if p]


def make_redactor(pairs):
    """The rule of src/util/redact.ts: (key, value) pairs -> a function of one line."""
    grams = {}
    anchors = set()
    short = []
    for key, value in [(k, part) for k, v in pairs for part in secret_parts(v)]:
        if len(value) >= _MIN_RUN:
            for at in range(len(value) - _MIN_RUN + 1):
                grams.setdefault(value[at:at + _MIN_RUN], []).append((key, value, at))
            for at in range(len(value) - _ANCHOR + 1):
                anchors.add(value[at:at + _ANCHOR])
        elif len(value) >= _MIN_WHOLE and not value.isdigit() and value.lower() not in _NOT_SECRET:
            short.append((key, value))
    short.sort(key=lambda kv: -len(kv[1]))
    if not grams and not short:
        return None

    def widest(line, p, found):
        best = (p, p + _MIN_RUN, found[0][0])
        for key, value, at in found:
            start, frm = p, at
            while start > 0 and frm > 0 and line[start - 1] == value[frm - 1]:
                start, frm = start - 1, frm - 1
            end, to = p + _MIN_RUN, at + _MIN_RUN
            while end < len(line) and to < len(value) and line[end] == value[to]:
                end, to = end + 1, to + 1
            if end - start > best[1] - best[0]:
                best = (start, end, key)
        return best

    def redact(line):
        hits = []
        if grams and len(line) >= _MIN_RUN:
            # The scan of src/util/redact.ts, visiting only the windows that can match: a
            # 12-character run holds a 6-character piece of the secret starting at a multiple
            # of 6, so only the windows near such a piece are looked up. Same hits, same order.
            last = len(line) - _MIN_RUN
            get = grams.get
            p = 0
            for a in range(0, len(line) - _ANCHOR + 1, _ANCHOR):
                if line[a:a + _ANCHOR] not in anchors:
                    continue
                p = max(p, a - _ANCHOR)
                stop = min(a, last)
                while p <= stop:
                    found = get(line[p:p + _MIN_RUN])
                    if found:
                        hit = widest(line, p, found)
                        hits.append(hit)
                        p = hit[1]
                    else:
                        p += 1
        for key, value in short:
            i = line.find(value)
            while i >= 0:
                end = i + len(value)
                if not (i > 0 and _is_word(line[i - 1])) and not (end < len(line) and _is_word(line[end])):
                    hits.append((i, end, key))
                i = line.find(value, i + 1)
        if not hits:
            return line
        hits.sort(key=lambda h: (h[0], -h[1]))
        out, at, i = [], 0, 0
        while i < len(hits):
            start, end, key = hits[i]
            i += 1
            while i < len(hits) and hits[i][0] < end:
                end = max(end, hits[i][1])
                i += 1
            out.append(line[at:start])
            out.append("[redacted:%s]" % key)
            at = end
        out.append(line[at:])
        return "".join(out)

    return redact


class _RedactingStream:
    """A text stream that writes whole lines, redacted; everything else is the stream it wraps."""

    def __init__(self, stream, redact):
        import threading

        self._stream = stream
        self._redact = redact
        self._held = ""
        # Threads print too: the held part of a line is read and replaced as one step.
        # Reentrant, so a signal handler that prints in the middle of a write cannot deadlock.
        self._lock = threading.RLock()

    def write(self, text):
        if not isinstance(text, str):
            return self._stream.write(text)  # raises as the real stream would
        with self._lock:
            data = self._held + text
            cut = data.rfind("\n")
            if cut < 0 and len(data) < _HOLD_MAX:
                self._held = data
                return len(text)
            if cut < 0:
                cut = len(data) - 1
            whole, self._held = data[:cut + 1], data[cut + 1:]
            self._stream.write("\n".join(self._redact(line) for line in whole.split("\n")))
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        # A partial line stays held: its end may still carry the rest of a secret.
        self._stream.flush()

    def release(self):
        """What is held, written as it is (at exit)."""
        with self._lock:
            held, self._held = self._held, ""
        if held:
            try:
                self._stream.write(self._redact(held))
                self._stream.flush()
            except (OSError, ValueError):
                pass

    def __getattr__(self, name):
        return getattr(self._stream, name)


def install():
    import atexit

    redact = make_redactor(_secrets())
    if redact is None:
        return
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is None:
            continue
        wrapped = _RedactingStream(stream, redact)
        setattr(sys, name, wrapped)
        atexit.register(wrapped.release)
