import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSoak, soakJson } from '../../../src/ops/soak/format.js';
import { emptySoak, foldError, foldSample, soakPassed } from '../../../src/ops/soak/summary.js';
import { soak } from '../../../src/ops/soak/run.js';
import type { ServiceStatus, StatusReport } from '../../../src/ops/status/types.js';
import { botStackInput } from '../../helpers/stack.js';
import { run, writeStackFile } from './ops-cli.js';

const svc = (name: string, o: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name, status: 'online', pid: 100, uptimeMs: 60_000, restarts: 0, restartsLastHour: null, memoryBytes: 50 * 1024 * 1024, cpu: 0, health: 'healthy', latencyMs: 3, watch: false, lastError: null, ...o,
});
const report = (...services: ServiceStatus[]): StatusReport => ({
  stack: 'healthy', profile: 'production', services, host: { memFreeBytes: 0, memTotalBytes: 0, logDir: '/x', diskFreeBytes: null }, healthSource: 'cli-probe',
});

describe('soak summary', () => {
  it('counts a restart by pm2 counter or by pid change, failed probes, memory min/max', () => {
    let s = emptySoak();
    s = foldSample(s, report(svc('api', { pid: 10, memoryBytes: 40e6 }), svc('bot', { pid: 20 })));
    s = foldSample(s, report(svc('api', { pid: 11, restarts: 1, memoryBytes: 30e6, uptimeMs: 500, health: 'failing', lastError: 'connection refused' }), svc('bot', { pid: 21 })));
    s = foldSample(s, report(svc('api', { pid: 11, restarts: 1, memoryBytes: 45e6, uptimeMs: 1500 }), svc('bot', { pid: 21 })));
    expect(s.services.map((x) => [x.name, x.restarts, x.failedProbes, x.lastError, x.memoryMinBytes, x.memoryMaxBytes, x.uptimeMs])).toEqual([
      ['api', 1, 1, 'connection refused', 30e6, 45e6, 1500],
      ['bot', 1, 0, null, 50 * 1024 * 1024, 50 * 1024 * 1024, 60_000],
    ]);
    expect(soakPassed(s)).toBe(false);
  });

  it('passes a quiet stack, and fails one whose sample could not be taken', () => {
    const quiet = foldSample(foldSample(emptySoak(), report(svc('api'))), report(svc('api')));
    expect(soakPassed(quiet)).toBe(true);
    expect(soakPassed(foldError(quiet, new Error('pm2 list did not answer within 10000 ms')))).toBe(false);
  });

  it('renders the summary with what failed, in words', () => {
    let s = foldSample(emptySoak(), report(svc('api', { pid: 10 })));
    s = foldSample(s, report(svc('api', { pid: 12, restarts: 1, uptimeMs: 2000, memoryBytes: 60 * 1024 * 1024, health: 'failing', lastError: 'HTTP 500' })));
    expect(renderSoak({ state: s, elapsedMs: 6000, cancelled: false }, 1000)).toBe(
      [
        'soak: 6s, 2 samples every 1s',
        'service  uptime  restarts  failed probes  memory min..max  now',
        'api      2s      1         1              50M..60M         online/failing',
        'FAIL:',
        '  api restarted 1 time; see: botstack logs api --errors',
        '  api was not healthy in 1 of 2 samples (last: HTTP 500)',
        '',
      ].join('\n'),
    );
    expect(soakJson({ state: s, elapsedMs: 6000, cancelled: false }, 6000, 1000)).toMatchObject({ ok: false, samples: 2, services: [{ name: 'api', restarts: 1, failedProbes: 1 }] });
  });
});

describe('soak loop', () => {
  it('samples on the interval until the duration, then stops', async () => {
    const times: number[] = [];
    const t0 = Date.now();
    const r = await soak(async () => (times.push(Date.now() - t0), report(svc('api'))), { durationMs: 300, intervalMs: 100 });
    expect(r.cancelled).toBe(false);
    expect(r.state.samples).toBe(4);
    expect(times.at(-1)).toBeGreaterThanOrEqual(300);
  });

  it('ends early, cancelled, when the signal aborts', async () => {
    const ctl = new AbortController();
    const r = await soak(async () => report(svc('api')), { durationMs: 60_000, intervalMs: 50, signal: ctl.signal, onSample: (s) => s.samples === 2 && ctl.abort(new Error('stop')) });
    expect(r).toMatchObject({ cancelled: true, state: { samples: 2 } });
  });
});

describe('botstack soak (CLI)', () => {
  const config = writeStackFile(botStackInput(mkdtempSync(join(tmpdir(), 'botstack-soak-')), { mongo: 27917, api: 18002, web: 18003 }));

  it('rejects bad durations with the fix, exit 2', async () => {
    expect(await run(['soak', '--duration', 'forever', '--config', config])).toEqual({ code: 2, stdout: '', stderr: 'botstack: --duration "forever" is not a duration; expected a number with ms, s, m or h, like 10s or 1h\n' });
    expect((await run(['soak', '--duration', '5s', '--interval', '1m', '--config', config])).stderr).toBe('botstack: --interval 1m is longer than --duration 5s; take at least two samples\n');
  });

  it('exits 2 and says how to start when no pm2 daemon answers', async () => {
    const home = mkdtempSync(join(tmpdir(), 'botstack-nopm2-'));
    expect(await run(['soak', '--duration', '2s', '--interval', '1s', '--config', config], { env: { PM2_HOME: home } })).toEqual({ code: 2, stdout: '', stderr: `botstack: pm2 is not running (PM2_HOME=${home}); start the stack with: botstack start\n` });
  });
});
