import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeHolder, portHolder, portProblem } from '../../../src/ops/shared/ports.js';
import { renderStatus } from '../../../src/ops/status/render.js';
import { startPrinter, startSummary } from '../../../src/ops/start/render.js';
import { stopLine } from '../../../src/ops/stop/render.js';
import { stackState } from '../../../src/ops/status/collect.js';
import type { ServiceStatus, StatusReport } from '../../../src/ops/status/types.js';
import { startSelection } from '../../../src/ops/start/run.js';
import { stopGroups } from '../../../src/ops/stop/run.js';
import { botStackInput, mustLoad } from '../../helpers/stack.js';

const svc = (name: string, over: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name, status: 'online', pid: 100, uptimeMs: 3_723_000, restarts: 2, restartsLastHour: 1, memoryBytes: 52 * 1024 ** 2, cpu: 1.5, health: 'healthy', latencyMs: 4.2, watch: false, lastError: null, ...over,
});

describe('status rendering', () => {
  const report: StatusReport = {
    stack: 'degraded',
    profile: 'production',
    services: [svc('api'), svc('web', { status: 'stopped', pid: 0, health: 'stopped', latencyMs: null, restartsLastHour: null, lastError: 'connection refused' })],
    host: { memFreeBytes: 2 * 1024 ** 3, memTotalBytes: 4 * 1024 ** 3, logDir: '/v3/logs', diskFreeBytes: 10 * 1024 ** 3 },
    healthSource: 'monitor',
  };

  it('prints one row per service, the stack word and host figures', () => {
    expect(renderStatus(report, 'telegram-bot')).toBe(
      [
        'NAME  STATUS   PID  UPTIME  RESTARTS  MEMORY  CPU   HEALTH   LATENCY  WATCH',
        'api   online   100  1h02m   2 (1/h)   52M     1.5%  healthy  4ms      off',
        'web   stopped  -    -       2         -       -     stopped  -        off',
        '',
        'web: connection refused',
        'stack telegram-bot: DEGRADED  (profile production, health from monitor)',
        'host: memory 2.0G free of 4.0G; disk 10.0G free at /v3/logs',
        '',
      ].join('\n'),
    );
  });

  it('shouts when the development profile reloads on file changes', () => {
    const text = renderStatus({ ...report, profile: 'development' }, 'telegram-bot', ['api', 'web']);
    expect(text.split('\n').slice(0, 2)).toEqual([
      '!!! DEVELOPMENT PROFILE: uvicorn --reload is ON for api, web: every file change restarts them !!!',
      '!!! never run this on the server: unset BOTSTACK_ENV !!!',
    ]);
  });

  it('stack state: all healthy, none healthy, or between', () => {
    expect(stackState([svc('a'), svc('b')])).toBe('healthy');
    expect(stackState([svc('a'), svc('b', { health: 'failing' })])).toBe('degraded');
    expect(stackState([svc('a', { health: 'stopped' })])).toBe('down');
  });
});

describe('start and stop lines', () => {
  it('times each service from its start to healthy', () => {
    const lines: string[] = [];
    const p = startPrinter((l) => lines.push(l), 6);
    p({ type: 'starting', service: 'mongod', at: 1000 });
    p({ type: 'already-up', service: 'api', at: 1000 });
    p({ type: 'healthy', service: 'mongod', at: 2450, ms: 1400, latencyMs: 3, wasUp: false });
    p({ type: 'healthy', service: 'api', at: 1010, ms: 10, latencyMs: 2, wasUp: true });
    p({ type: 'healthy', service: 'bot', at: 9000, ms: 10_020, latencyMs: null, wasUp: false, note: 'stayed online for its min_uptime, 10 s' });
    p({ type: 'healthy', service: 'bot', at: 9000, ms: 5, latencyMs: null, wasUp: true, note: 'stayed online for its min_uptime, 10 s' });
    p({ type: 'healthy', service: 'monitor', at: 9000, ms: 40, latencyMs: null, wasUp: false });
    p({ type: 'failed', service: 'web', at: 5000, ms: 30_000, reason: 'http probe: connection refused', logs: ['  web.err | ImportError: no module named web'] });
    expect(lines).toEqual([
      'mongod  healthy (probe 3ms) in 1.4 s',
      'api     already up, healthy, probe 2ms',
      'bot     up (stayed online for its min_uptime, 10 s) in 10.0 s',
      'bot     already up, stayed online for its min_uptime, 10 s',
      'monitor  online (no health check) in 0.0 s',
      'web     NOT healthy after 30.0 s: http probe: connection refused',
      '  last log lines of web:',
      '  web.err | ImportError: no module named web',
    ]);
  });

  it('a failed start says what never came up, what was skipped and what to run next', () => {
    expect(startSummary({ ok: false, started: ['mongod', 'api'], alreadyUp: [], failed: ['api'], skipped: ['web', 'bot'] }, 'telegram-bot', 31_000)).toBe(
      'start of telegram-bot stopped: api never became healthy; not started: web, bot\nnext: botstack logs api --errors, fix it, then run botstack start again',
    );
  });

  it('a stop that needed SIGKILL says so', () => {
    expect(stopLine({ service: 'mongod', result: 'stopped', ms: 60_100, killed: true, stopTimeoutMs: 60_000 }, 6)).toBe(
      'mongod  KILLED after 60.1 s: it did not exit within its stop timeout (60.0 s), so pm2 sent SIGKILL',
    );
  });
});

describe('selection and order', () => {
  const stack = mustLoad(botStackInput('/v3', { mongo: 27017, api: 8002, web: 8003 }, { monitor: true }));
  it('start web brings its dependencies and the monitor', () => {
    expect(startSelection(stack, ['web']).map((s) => s.name)).toEqual(['mongod', 'api', 'web', 'monitor']);
  });
  it('stop: the monitor first, then dependents before what they depend on', () => {
    expect(stopGroups(stack, []).map((g) => g.map((s) => s.name))).toEqual([['monitor'], ['web', 'bot'], ['api'], ['mongod']]);
    expect(stopGroups(stack, ['api']).map((g) => g.map((s) => s.name))).toEqual([['web', 'bot'], ['api']]);
  });
});

describe('port holders from a /proc tree', () => {
  function fakeProc(): string {
    const root = mkdtempSync(join(tmpdir(), 'botstack-proc-'));
    mkdirSync(join(root, 'net'));
    const head = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    // 127.0.0.1:8002 listening (0A), inode 777; a connected socket on 8003 (01) must not count.
    writeFileSync(join(root, 'net', 'tcp'), head + '   0: 0100007F:1F42 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0 100 0 0 10 0\n   1: 0100007F:1F43 0100007F:D000 01 00000000:00000000 00:00000000 00000000  1000        0 778 1 0 100 0 0 10 0\n');
    writeFileSync(join(root, 'net', 'tcp6'), head);
    mkdirSync(join(root, '4121', 'fd'), { recursive: true });
    symlinkSync('socket:[777]', join(root, '4121', 'fd', '5'));
    writeFileSync(join(root, '4121', 'cmdline'), 'python3\0-m\0uvicorn\0api_v2.app:app\0');
    return root;
  }
  it('finds the pid and command line holding a listening port', () => {
    const proc = fakeProc();
    expect(describeHolder(8002, portHolder(8002, proc))).toBe('port 8002 is already in use by pid 4121 (python3 -m uvicorn api_v2.app:app)');
    expect(portHolder(8003, proc)).toBeNull();
  });

  it('names the fix: stop the holder; or, for a port no process listens on inside the ephemeral range, move out of the range', () => {
    const proc = fakeProc();
    mkdirSync(join(proc, 'sys', 'net', 'ipv4'), { recursive: true });
    writeFileSync(join(proc, 'sys', 'net', 'ipv4', 'ip_local_port_range'), '32768\t60999\n');
    expect(portProblem('api', 8002, proc)).toBe('port 8002 is already in use by pid 4121 (python3 -m uvicorn api_v2.app:app); stop it or change api.port');
    expect(portProblem('api', 48002, proc)).toBe(
      "port 48002 is in use, by no listening process: it is in the kernel's range for outgoing connections (32768-60999), so any client socket may hold it for a while; change api.port to one outside that range",
    );
    // Outside the range, with no listener to name: the plain message.
    expect(portProblem('web', 8003, proc)).toBe('port 8003 is already in use; stop it or change web.port');
  });
});
