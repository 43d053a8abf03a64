import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHeartbeat, pythonAnyAnswer, pythonHeartbeat, pythonHttp, pythonTcp } from '../../../src/export/scripts.js';

// The check programs the containers run, run for real with this machine's
// python3 against a real HTTP server: each passes when it should and fails
// when it should (the controls), as the engine would see from its exit code.

let server: Server;
let port: number;
const hung: Server = createServer(() => undefined); // accepts, never answers: a blocked event loop
let hungPort: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    const status = req.url === '/down' ? 503 : 200;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: req.url === '/down' ? 'down' : 'ok', checks: [{ ok: true }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  hungPort = (hung.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
  hung.close();
  server.closeAllConnections();
  hung.closeAllConnections();
});

/** Exit code of the check, run with python3 where the image has `python`. */
const exitOf = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> =>
  new Promise((resolve) => {
    const [bin, ...args] = argv;
    execFile(bin === 'python' ? 'python3' : (bin ?? ''), args, { timeout: 30_000, env }, (err) => resolve(err === null ? 0 : typeof err.code === 'number' ? err.code : -1));
  });

const url = (path: string, p = port): string => `http://127.0.0.1:${p}${path}`;

describe('the python checks, run for real', () => {
  it('whole http check: status, body and JSON field; a 503 fails', async () => {
    expect(await exitOf(pythonHttp({ url: url('/health'), timeoutMs: 2000, status: 200 }))).toBe(0);
    expect(await exitOf(pythonHttp({ url: url('/down'), timeoutMs: 2000, status: 200 }))).toBe(1);
    expect(await exitOf(pythonHttp({ url: url('/down'), timeoutMs: 2000, status: 503 }))).toBe(0);
    expect(await exitOf(pythonHttp({ url: url('/health'), timeoutMs: 2000, status: 200, body: '"ok"' }))).toBe(0);
    expect(await exitOf(pythonHttp({ url: url('/health'), timeoutMs: 2000, status: 200, body: 'nope' }))).toBe(1);
    expect(await exitOf(pythonHttp({ url: url('/health'), timeoutMs: 2000, status: 200, json: { field: 'status', equals: 'ok' } }))).toBe(0);
    expect(await exitOf(pythonHttp({ url: url('/health'), timeoutMs: 2000, status: 200, json: { field: 'checks.0.ok' } }))).toBe(0);
    expect(await exitOf(pythonHttp({ url: url('/health'), timeoutMs: 2000, status: 200, json: { field: 'status', equals: 'down' } }))).toBe(1);
  });

  it('liveness passes on any answer (a 503 from a dependency), fails when nothing answers', async () => {
    expect(await exitOf(pythonAnyAnswer(url('/down'), 2000))).toBe(0);
    expect(await exitOf(pythonAnyAnswer(url('/health', hungPort), 500))).toBe(1);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await exitOf(pythonAnyAnswer(url('/health', closedPort), 500))).toBe(1);
  });

  it('a proxy in the env (a bot reaching Telegram through one) is not used for the local check', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadProxy = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const env = { ...process.env, HTTP_PROXY: deadProxy, http_proxy: deadProxy, NO_PROXY: '', no_proxy: '' };
    expect(await exitOf(pythonHttp({ url: url('/health'), timeoutMs: 2000, status: 200 }), env)).toBe(0);
    expect(await exitOf(pythonAnyAnswer(url('/health'), 2000), env)).toBe(0);
    // The control: urllib's plain urlopen goes through that proxy and fails.
    expect(await exitOf(['python', '-c', `import urllib.request; urllib.request.urlopen(${JSON.stringify(url('/health'))}, timeout=2)`], env)).not.toBe(0);
  });

  it('tcp: a listening port passes, a closed one fails', async () => {
    expect(await exitOf(pythonTcp(port, 1000))).toBe(0);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await exitOf(pythonTcp(closedPort, 1000))).toBe(1);
  });

  it('heartbeat: fresh passes and stale fails; missing, or untouched since PID 1 started, passes (never opted in)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botstack-beat-'));
    const file = join(dir, 'bot.heartbeat');
    for (const argv of [pythonHeartbeat(file, 30_000), nodeHeartbeat(file, 30_000)]) {
      rmSync(file, { force: true });
      expect(await exitOf(argv), `${argv[0]}: missing`).toBe(0);
      writeFileSync(file, '');
      expect(await exitOf(argv), `${argv[0]}: fresh`).toBe(0);
      const old = Date.now() / 1000 - 120;
      utimesSync(file, old, old);
      expect(await exitOf(argv), `${argv[0]}: stale`).toBe(1);
      // Left over from before PID 1 started (here: the host's boot): this process never touched it.
      const boot = Number(/^btime (\d+)/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
      utimesSync(file, boot - 60, boot - 60);
      expect(await exitOf(argv), `${argv[0]}: left over`).toBe(0);
    }
  });
});
