import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/alerts/delivery.js';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { AlertWatch } from '../../../src/alerts/watch.js';
import { Monitor } from '../../../src/monitor/monitor.js';
import { DEFAULT_POLICY } from '../../../src/monitor/policy.js';
import { botStackInput, mustLoad } from '../../helpers/stack.js';
import { FakeClock, FakePm2, FakeProbe, FakeSink } from '../monitor/fakes.js';

// The observer wired into the real Monitor runtime (fake pm2, probes and clock):
// what the monitor settles into becomes the events the policy promises.

const NAMES = ['mongod', 'api', 'web', 'bot'];
const config = { stack: 'test-bot', host: 'vps-1', telegram: null, webhook: null, disk: { minFreeRatio: null, minFreeBytes: null } };

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops) await s();
  stops = [];
});

async function setup() {
  const stack = mustLoad(botStackInput('/tmp/botstack-unit-root', { mongo: 27017, api: 8002, web: 8003 }, { monitor: true }));
  const clock = new FakeClock();
  const pm2 = new FakePm2(clock, NAMES);
  const probes = new Map(NAMES.map((n) => [n, new FakeProbe()]));
  const memory = new Map<number, number>();
  const events: AlertEvent[] = [];
  const delivery = { push: (e: readonly AlertEvent[]) => void events.push(...e), stop: () => undefined } as unknown as Delivery;
  const watch = new AlertWatch(config, stack, DEFAULT_POLICY, () => undefined, { now: clock.now, after: clock.after }, delivery);
  const monitor = new Monitor({
    stack, pm2, sink: new FakeSink(), clock, policy: DEFAULT_POLICY, log: () => undefined,
    probes: new Map([...probes].map(([n, p]) => [n, p.probe])),
    treeRss: (pid) => memory.get(pid) ?? 50 * 2 ** 20,
    isAlive: () => true,
  });
  monitor.onSettled((states, history, now) => watch.settled(states, history, now));
  stops.push(async () => {
    pm2.pendingRestarts.forEach((r) => r());
    await monitor.stop();
  });
  await monitor.start();
  await clock.advance(3000);
  return { clock, pm2, probes, memory, events, kinds: () => events.map((e) => `${e.service}:${e.kind}`) };
}

describe('alerts observing the monitor', () => {
  it('a failing api, healed: unhealthy then recovered, once each, whatever the probes and heals in between', async () => {
    const t = await setup();
    t.probes.get('api')!.mode = 'fail';
    await t.clock.advance(5000);
    expect(t.pm2.calls).toEqual(['restart api']);
    await t.clock.advance(2000);
    t.probes.get('api')!.mode = 'ok';
    t.pm2.pendingRestarts.shift()!();
    await t.clock.advance(20_000);
    expect(t.kinds()).toEqual(['api:unhealthy', 'api:recovered']);
    expect(t.events[0]).toMatchObject({ state: 'unhealthy', detail: 'HTTP 500' });
    expect(t.events[1]!.detail).toMatch(/^healthy again after \d+ s; the monitor restarted it 1 time$/);
  });

  it('over its memory limit: one "restarted for memory", nothing when it comes back', async () => {
    const t = await setup();
    t.memory.set(101, 600 * 2 ** 20); // api's pid; its limit is 512 MiB
    await t.clock.advance(2000);
    expect(t.pm2.calls).toEqual(['restart api']);
    t.memory.delete(101); // the old process is gone
    t.pm2.pendingRestarts.shift()!();
    await t.clock.advance(20_000);
    expect(t.pm2.calls).toEqual(['restart api']);
    expect(t.kinds()).toEqual(['api:memory-restart']);
    expect(t.events[0]!.detail).toBe('its process tree used 600 MiB, over its 512 MiB limit; the monitor restarted it');
  });

  it('a crash loop from pm2’s bus: crash-looping at the third exit, given-up at the fifth', async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) {
      t.pm2.emit({ event: 'exit', name: 'bot', exitCode: 3 });
      await t.clock.advance(1000);
      t.pm2.emit({ event: 'online', name: 'bot' });
      await t.clock.advance(1000);
      if (i === 2) expect(t.kinds()).toEqual(['bot:crash-looping']);
    }
    await t.clock.advance(10_000);
    expect(t.kinds()).toEqual(['bot:crash-looping', 'bot:given-up']);
    expect(t.events[0]!.detail).toBe('exited 3 times in 5 min');
  });
});

describe('alerts across a monitor restart', () => {
  it('an incident announced before the restart is not announced again, and its recovery still is; control: without the journal it is announced twice', async () => {
    const { memoryJournal } = await import('../../../src/alerts/journal.js');
    const journal = memoryJournal();
    const run = async (withJournal: boolean, mode: 'ok' | 'fail') => {
      const stack = mustLoad(botStackInput('/tmp/botstack-unit-root', { mongo: 27017, api: 8002, web: 8003 }, { monitor: true }));
      const clock = new FakeClock();
      const pm2 = new FakePm2(clock, NAMES);
      const probes = new Map(NAMES.map((n) => [n, new FakeProbe()]));
      probes.get('api')!.mode = mode;
      const events: AlertEvent[] = [];
      const delivery = { push: (e: readonly AlertEvent[], inc?: { incidents: unknown[]; patterns: string[] }) => {
        events.push(...e);
        if (inc && withJournal) journal.save({ ...journal.state, incidents: inc.incidents as never, patterns: inc.patterns });
      }, restore: () => undefined, drain: async () => undefined } as unknown as Delivery;
      const watch = new AlertWatch(config, stack, DEFAULT_POLICY, () => undefined, { now: clock.now, after: clock.after }, delivery);
      watch.start(0, withJournal ? journal.load() : undefined);
      const monitor = new Monitor({
        stack, pm2, sink: new FakeSink(), clock, policy: { ...DEFAULT_POLICY, maxHeals: 0 }, log: () => undefined,
        probes: new Map([...probes].map(([n, p]) => [n, p.probe])), treeRss: () => 50 * 2 ** 20, isAlive: () => true,
      });
      monitor.onSettled((states, history, now) => watch.settled(states, history, now));
      stops.push(async () => {
        pm2.pendingRestarts.forEach((r) => r());
        await monitor.stop();
      });
      await monitor.start();
      return { clock, probes, kinds: () => events.map((e) => `${e.service}:${e.kind}`), stop: () => monitor.stop() };
    };
    for (const withJournal of [true, false]) {
      journal.state = { incidents: [], patterns: [], pending: [], queues: {} };
      const a = await run(withJournal, 'ok');
      await a.clock.advance(3000);
      a.probes.get('api')!.mode = 'fail';
      await a.clock.advance(8000);
      expect(a.kinds()).toEqual(['api:unhealthy', 'api:given-up']);
      await a.stop();
      const b = await run(withJournal, 'fail');
      await b.clock.advance(8000);
      b.probes.get('api')!.mode = 'ok';
      await b.clock.advance(8000);
      expect(b.kinds()).toEqual(withJournal ? ['api:recovered'] : ['api:unhealthy', 'api:given-up', 'api:recovered']);
    }
  });
});
