import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/docker/engine.js';
import { DockerDriver } from '../../../src/monitor/docker/driver.js';
import { dockerHealthProbe } from '../../../src/monitor/docker/probes.js';
import { readPolicyEnv } from '../../../src/monitor/policy-env.js';
import type { ProcessEvent } from '../../../src/pm2/types.js';

// The Docker driver against a stand-in Engine: a real node:http server on a
// unix socket, answering the Engine API's shapes, recording every call. The
// real Engine is in test/integration/compose-demo.test.ts.

interface Box {
  Id: string;
  service: string;
  status: 'running' | 'paused' | 'exited';
  pid: number;
  startedAt: string;
  health?: string;
}

let server: Server;
let socketPath: string;
let boxes: Box[];
let calls: string[];
let events: ServerResponse | null;

const inspect = (b: Box) => ({
  Id: b.Id,
  Name: `/p_${b.service}_1`,
  RestartCount: 0,
  State: { Status: b.status, Running: b.status !== 'exited', Paused: b.status === 'paused', Restarting: false, Pid: b.status === 'exited' ? 0 : b.pid, ExitCode: 0, StartedAt: b.startedAt, ...(b.health ? { Health: { Status: b.health, FailingStreak: 0, Log: [{ ExitCode: 1, Output: 'boom\n' }] } } : {}) },
  Config: { Labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': b.service }, Hostname: b.Id.slice(0, 12) },
});

beforeEach(async () => {
  socketPath = join(mkdtempSync(join(tmpdir(), 'botstack-engine-')), 'docker.sock');
  calls = [];
  events = null;
  boxes = [
    { Id: 'aaa', service: 'api', status: 'running', pid: 101, startedAt: '2026-01-01T00:00:00Z' },
    { Id: 'bbb', service: 'web', status: 'running', pid: 102, startedAt: '2026-01-01T00:00:01Z' },
    { Id: 'ccc', service: 'other', status: 'running', pid: 103, startedAt: '2026-01-01T00:00:01Z' },
  ];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://docker');
    calls.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (v: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    if (url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'application/json' });
      events = res;
      return;
    }
    if (url.pathname === '/containers/json') return json(boxes.map((b) => ({ Id: b.Id, Labels: inspect(b).Config.Labels, State: b.status })));
    const m = /^\/containers\/(\w+)\/(\w+)$/.exec(url.pathname);
    const box = boxes.find((b) => b.Id === m?.[1]);
    if (!m || !box) return json({ message: `No such container: ${m?.[1]}` }, 404);
    if (m[2] === 'json') return json(inspect(box));
    if (m[2] === 'unpause') box.status = 'running';
    if (m[2] === 'restart') {
      if (box.status === 'paused') return json({ message: 'cannot restart a paused container here' }, 409);
      box.pid += 1000;
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
});
afterEach(async () => {
  events?.end();
  await new Promise<void>((r) => server.close(() => r()));
});

const driver = () => new DockerDriver({ engine: new Engine({ socketPath }), project: 'p', services: ['mongod', 'api', 'web'], stopTimeoutS: (n) => (n === 'api' ? 15 : 10) });

describe('the Docker driver (the monitor interface over the Engine API)', () => {
  it("lists the project's services by their Compose label, pm_id by the stack's order; a paused container is online", async () => {
    boxes[0]!.status = 'paused';
    const list = await driver().list();
    expect(list.map((p) => [p.name, p.pmId, p.status, p.pid])).toEqual([
      ['api', 1, 'online', 101],
      ['web', 2, 'online', 102],
    ]);
    expect(list[0]!.startedAt).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(calls[0]).toContain('/containers/json?all=1&filters=');
    expect(decodeURIComponent(calls[0]!)).toContain('"label":["com.docker.compose.project=p"]');
  });

  it('restart unpauses a paused container first, then restarts it with the service\'s stop timeout', async () => {
    boxes[0]!.status = 'paused';
    const dr = driver();
    await dr.list();
    await dr.restart('api');
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /containers/aaa/unpause', 'POST /containers/aaa/restart?t=15']);
  });

  it('the SIGKILL escalation goes only to the process the heal started from', async () => {
    const dr = driver();
    await dr.list();
    await dr.signalId('SIGKILL', 1);
    expect(calls.at(-1)).toBe('POST /containers/aaa/kill?signal=SIGKILL');
    // A heal under way from pid 101; the container already runs a newer process: no kill.
    const restarting = dr.restart('api');
    await restarting;
    calls = [];
    (dr as unknown as { healFrom: Map<string, number> }).healFrom.set('api', 101);
    await dr.signalId('SIGKILL', 1);
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it("an Engine error names the call and the Engine's message; a missing socket says which", async () => {
    await expect(new Engine({ socketPath }).call('POST', '/containers/nope/restart')).rejects.toThrow('POST /containers/nope/restart: 404 No such container: nope');
    await expect(new Engine({ socketPath: `${socketPath}.gone` }).call('GET', '/containers/json')).rejects.toThrow(`(${socketPath}.gone)`);
  });

  it("the Engine's die, start, stop and restart events come out as pm2's exit, online and manual stop/restart", async () => {
    const dr = driver();
    const bus = await dr.bus();
    const got: ProcessEvent[] = [];
    bus.onProcessEvent((e) => got.push(e));
    const deadline = Date.now() + 5000;
    while (events === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const send = (Action: string, service: string, extra: Record<string, string> = {}) => events!.write(JSON.stringify({ Type: 'container', Action, Actor: { ID: 'x', Attributes: { 'com.docker.compose.service': service, ...extra } } }) + '\n');
    send('die', 'api', { exitCode: '137' });
    send('start', 'api');
    send('stop', 'web');
    send('exec_start', 'api'); // a healthcheck's exec: not a process event
    send('die', 'other'); // not one of ours
    while (got.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(got.map((e) => [e.event, e.name, e.pmId, e.exitCode, e.manually])).toEqual([
      ['exit', 'api', 1, 137, false],
      ['online', 'api', 1, null, false],
      ['stop', 'web', 2, null, true],
    ]);
    dr.close();
  });

  it('the Docker-health probe: healthy is up; unhealthy and paused are down, with the last check\'s output', async () => {
    const dr = driver();
    await dr.list();
    const engine = new Engine({ socketPath });
    boxes[0]!.health = 'healthy';
    expect(await dockerHealthProbe('api', dr, engine)(new AbortController().signal)).toMatchObject({ ok: true });
    boxes[0]!.health = 'unhealthy';
    expect(await dockerHealthProbe('api', dr, engine)(new AbortController().signal)).toMatchObject({ ok: false, reason: 'docker health: unhealthy (last check exit 1: boom)' });
    boxes[0]!.status = 'paused';
    expect(await dockerHealthProbe('api', dr, engine)(new AbortController().signal)).toMatchObject({ ok: false, reason: expect.stringContaining('paused') });
    expect(await dockerHealthProbe('mongod', dr, engine)(new AbortController().signal)).toMatchObject({ ok: false, reason: 'no container for mongod' });
  });
});

describe('BOTSTACK_MONITOR_POLICY, read once for both drivers', () => {
  it('overrides numeric limits and refuses unknown keys, naming the key and the value', () => {
    expect(readPolicyEnv({ BOTSTACK_MONITOR_POLICY: '{"maxHeals":7}' }).maxHeals).toBe(7);
    expect(() => readPolicyEnv({ BOTSTACK_MONITOR_POLICY: '{"maxHeal":7}' })).toThrow('BOTSTACK_MONITOR_POLICY.maxHeal=7: expected one of maxHeals');
  });
});
