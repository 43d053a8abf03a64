import { describe, expect, it } from 'vitest';
import { describePeriod, detectPeriod } from '../../../src/monitor/period.js';
import { RestartHistory } from '../../../src/monitor/history.js';
import type { ProcessEvent } from '../../../src/pm2/types.js';

const MIN = 60_000;
const T0 = 1_700_000_000_000;
/** A deterministic jitter source: no Math.random in tests. */
const jitter = (i: number, spread: number) => (((i * 7919) % 13) / 12 - 0.5) * 2 * spread;

describe('period detection on restart histories', () => {
  it('finds the incident signature: 6 restarts every ~25 min with a minute of jitter', () => {
    const times = Array.from({ length: 6 }, (_, i) => T0 + i * 25 * MIN + jitter(i, MIN));
    const p = detectPeriod(times);
    expect(p).not.toBeNull();
    expect(p!.count).toBe(6);
    expect(Math.abs(p!.periodMs - 25 * MIN)).toBeLessThan(2 * MIN);
    expect(describePeriod('api', p!)).toBe('api restarted 6 times, every ~25 min: look for a file watcher, cron job or deploy hook');
  });

  it('still finds it when one manual restart falls in between', () => {
    const times = [0, 25, 50, 60, 75, 100, 125].map((m) => T0 + m * MIN);
    expect(detectPeriod(times)?.periodMs).toBe(25 * MIN);
  });

  it('reports nothing for irregular restarts', () => {
    const times = [0, 3, 41, 47, 120, 122, 300].map((m) => T0 + m * MIN);
    expect(detectPeriod(times)).toBeNull();
  });

  it('reports nothing for too few restarts', () => {
    expect(detectPeriod([T0, T0 + 25 * MIN, T0 + 50 * MIN])).toBeNull();
  });

  it('leaves a fast crash loop to crash-loop detection', () => {
    expect(detectPeriod(Array.from({ length: 10 }, (_, i) => T0 + i * 2000))).toBeNull();
  });

  it('hourly cron shows as ~60 min, a 3-hourly one as ~3 h', () => {
    const p = detectPeriod(Array.from({ length: 5 }, (_, i) => T0 + i * 60 * MIN));
    expect(describePeriod('web', p!)).toContain('every ~60 min');
    const q = detectPeriod(Array.from({ length: 5 }, (_, i) => T0 + i * 180 * MIN));
    expect(describePeriod('web', q!)).toContain('every ~3 h');
  });
});

const ev = (event: string, name: string, at: number, extra: Partial<ProcessEvent> = {}): ProcessEvent => ({
  event, name, pmId: 1, at, manually: false, exitCode: 1, signal: null, ...extra,
});

describe('restart history from pm2 bus events', () => {
  it('classifies exits: crash, then the monitor\'s own heal, then an operator restart', () => {
    const h = new RestartHistory();
    h.onEvent(ev('exit', 'api', T0));
    h.onEvent(ev('online', 'api', T0 + 600));
    h.expect('api', 'heal', T0 + 60_000);
    h.onEvent(ev('exit', 'api', T0 + 10_000));
    h.onEvent(ev('online', 'api', T0 + 10_600));
    h.onEvent(ev('exit', 'api', T0 + 20_000));
    h.onEvent(ev('restart', 'api', T0 + 21_000, { manually: true }));
    expect(h.of('api').map((r) => r.cause)).toEqual(['crash', 'heal', 'manual']);
    expect(h.crashesSince('api', T0)).toBe(1);
    expect(h.restartsSince('api', T0)).toBe(3);
  });

  it('a manual stop is not a restart, and other services are not affected', () => {
    const h = new RestartHistory();
    h.onEvent(ev('exit', 'web', T0));
    h.onEvent(ev('exit', 'api', T0 + 100));
    h.onEvent(ev('stop', 'api', T0 + 200, { manually: true }));
    expect(h.restartsSince('api', T0)).toBe(0);
    expect(h.crashesSince('web', T0)).toBe(1);
  });

  it('reports a periodic pattern from bus history', () => {
    const h = new RestartHistory();
    for (let i = 0; i < 6; i++) {
      h.onEvent(ev('exit', 'api', T0 + i * 25 * MIN));
      h.onEvent(ev('online', 'api', T0 + i * 25 * MIN + 800));
    }
    expect(h.pattern('api', T0 + 126 * MIN)).toContain('api restarted 6 times, every ~25 min');
    expect(h.pattern('web', T0 + 126 * MIN)).toBeNull();
  });
});

describe('restart history: pm2 quirks', () => {
  it('one stop announced twice by pm2 (stop routine and exit handler) is one restart', () => {
    const h = new RestartHistory();
    h.expect('api', 'heal', T0 + 60_000);
    h.onEvent(ev('exit', 'api', T0));
    h.onEvent(ev('exit', 'api', T0 + 5));
    h.onEvent(ev('online', 'api', T0 + 300));
    h.onEvent(ev('exit', 'api', T0 + 9000));
    expect(h.of('api').map((r) => r.cause)).toEqual(['heal', 'crash']);
  });
});
