// The check programs that run inside a container. No curl or wget can be
// assumed in a slim image, so a Python service is checked with its own python
// and a node service with node. Each program mirrors what the monitor's probe
// checks on the VPS (status, body, JSON field; heartbeat age; a TCP connect)
// and exits 0 or 1. Strings are embedded as JSON literals, which Python reads too.

const lit = (v: unknown): string => JSON.stringify(v);
const seconds = (ms: number): string => String(Math.max(ms, 100) / 1000);

// No proxy: a bot's env often holds HTTPS_PROXY/HTTP_PROXY for reaching Telegram, and
// urllib would send the check for 127.0.0.1 through it.
const OPEN = 'urllib.request.build_opener(urllib.request.ProxyHandler({})).open';

export interface HttpExpect {
  readonly url: string;
  readonly timeoutMs: number;
  readonly status: number;
  readonly body?: string;
  readonly json?: { readonly field: string; readonly equals?: unknown };
}

/** The whole HTTP check: status, then body, then JSON field, as src/probes/http-check.ts. */
export function pythonHttp(e: HttpExpect): string[] {
  const lines = [
    `import ${e.json !== undefined ? 'json, ' : ''}sys, urllib.request, urllib.error`,
    'try:',
    `    r = ${OPEN}(${lit(e.url)}, timeout=${seconds(e.timeoutMs)})`,
    '    status, body = r.status, r.read()',
    'except urllib.error.HTTPError as err:',
    '    status, body = err.code, err.read()',
    `ok = status == ${e.status}`,
  ];
  if (e.body !== undefined) lines.push(`ok = ok and ${lit(e.body)} in body.decode("utf-8", "replace")`);
  if (e.json !== undefined) {
    lines.push(
      'v = json.loads(body) if ok else None',
      `for k in ${lit(e.json.field)}.split("."):`,
      '    v = v[int(k)] if isinstance(v, list) and k.isdigit() and int(k) < len(v) else v.get(k) if isinstance(v, dict) else None',
      e.json.equals !== undefined ? `ok = ok and v == json.loads(${lit(JSON.stringify(e.json.equals))})` : 'ok = ok and v is not None and v is not False',
    );
  }
  lines.push('sys.exit(0 if ok else 1)');
  return ['python', '-c', lines.join('\n')];
}

/**
 * Liveness: any HTTP answer, even a 503, proves the process and its event loop
 * are alive. A refused or timed-out request fails. A dependency being down
 * makes the health endpoint answer non-200, which must never restart this process.
 */
export function pythonAnyAnswer(url: string, timeoutMs: number): string[] {
  return [
    'python',
    '-c',
    ['import urllib.request, urllib.error', 'try:', `    ${OPEN}(${lit(url)}, timeout=${seconds(timeoutMs)})`, 'except urllib.error.HTTPError:', '    pass'].join('\n'),
  ];
}

export function pythonTcp(port: number, timeoutMs: number): string[] {
  return ['python', '-c', `import socket; socket.create_connection(("127.0.0.1", ${port}), timeout=${seconds(timeoutMs)}).close()`];
}

/**
 * The heartbeat rule of the monitor (src/probes/heartbeat.ts), without its
 * memory: a heartbeat the service never opted into must not make it unhealthy.
 * So a missing file passes, and so does a file not touched since the
 * container's PID 1 started (left over from before a restart: this process has
 * not touched it yet). Only a file this process touched, and then stopped
 * touching for longer than maxAge, fails. PID 1's start comes from /proc (boot
 * time + start ticks), on the same clock as the file's mtime.
 */
const PID1_BORN = [
  't = open("/proc/1/stat").read().rsplit(")", 1)[1].split()[19]',
  'b = [l for l in open("/proc/stat") if l.startswith("btime")][0].split()[1]',
  'born = int(b) + int(t) / os.sysconf("SC_CLK_TCK")',
];

export function pythonHeartbeat(file: string, maxAgeMs: number): string[] {
  const lines = ['import os, sys, time', 'try:', `    m = os.stat(${lit(file)}).st_mtime`, 'except FileNotFoundError:', '    sys.exit(0)', ...PID1_BORN, `sys.exit(0 if m < born or time.time() - m <= ${seconds(maxAgeMs)} else 1)`];
  return ['python', '-c', lines.join('\n')];
}

export function nodeHttp(e: HttpExpect, anyAnswer = false): string[] {
  const field = e.json ? `(() => { try { let v = JSON.parse(b); for (const k of ${lit(e.json.field)}.split('.')) v = v == null ? undefined : v[k]; return ${e.json.equals !== undefined ? `JSON.stringify(v) === ${lit(JSON.stringify(e.json.equals))}` : 'v != null && v !== false'}; } catch { return false; } })()` : 'true';
  const ok = anyAnswer ? 'true' : `r.status === ${e.status} && ${e.body !== undefined ? `b.includes(${lit(e.body)})` : 'true'} && ${field}`;
  return ['node', '-e', `fetch(${lit(e.url)}, { signal: AbortSignal.timeout(${e.timeoutMs}), redirect: 'manual' }).then(async (r) => { const b = await r.text(); process.exit(${ok} ? 0 : 1); }, () => process.exit(1));`];
}

export function nodeTcp(port: number, timeoutMs: number): string[] {
  return ['node', '-e', `require('net').connect(${port}, '127.0.0.1').setTimeout(${timeoutMs}, () => process.exit(1)).on('connect', () => process.exit(0)).on('error', () => process.exit(1));`];
}

/** The same rule as pythonHeartbeat: missing, or untouched since PID 1 started, passes. */
export function nodeHeartbeat(file: string, maxAgeMs: number): string[] {
  // USER_HZ (the unit of /proc/<pid>/stat's start time) is 100 on every Linux node runs on.
  const born = "const f = require('fs'); const t = Number(f.readFileSync('/proc/1/stat', 'utf8').split(')').pop().trim().split(' ')[19]); const b = Number(/^btime (\\d+)/m.exec(f.readFileSync('/proc/stat', 'utf8'))[1]); const born = (b + t / 100) * 1000;";
  return ['node', '-e', `let m; try { m = require('fs').statSync(${lit(file)}).mtimeMs; } catch { process.exit(0); } ${born} process.exit(m < born || Date.now() - m <= ${maxAgeMs} ? 0 : 1);`];
}

/** MongoDB's ping through mongosh, which the official image ships. */
export function mongoshPing(port: number): string[] {
  return ['mongosh', '--quiet', '--port', String(port), '--eval', 'quit(db.adminCommand({ ping: 1 }).ok === 1 ? 0 : 1)'];
}
