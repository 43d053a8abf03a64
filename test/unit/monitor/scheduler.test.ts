import { describe, expect, it } from 'vitest';
import { Scheduler, type Job } from '../../../src/monitor/scheduler.js';
import { onGrid } from '../../../src/util/grid.js';
import { FakeClock } from './fakes.js';

// The scheduler puts every wait on one grid, so jobs with the same interval
// wake the process once between them, not once each.

/** A FakeClock that counts how many timers actually fired: wake-ups of a real process. */
class CountingClock extends FakeClock {
  fired = 0;
  override after = (ms: number, fn: () => void) => {
    const timer = { at: this.t + Math.max(0, ms), resolve: () => (this.fired++, fn()) };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  };
}

function job(clock: FakeClock, name: string, delay: number, ticks: number[], work = 0): Job {
  return {
    name,
    delayMs: () => delay,
    tick: async (signal) => {
      ticks.push(clock.now() - T0);
      if (work > 0) await clock.sleep(work, signal);
    },
  };
}

const T0 = new FakeClock().t;

describe('scheduler', () => {
  it('wakes once per interval for any number of jobs on that interval', async () => {
    const clock = new CountingClock();
    const s = new Scheduler(clock, () => undefined);
    const ticks = Array.from({ length: 5 }, () => [] as number[]);
    s.start(ticks.map((t, i) => job(clock, `j${i}`, 1000, t)));
    await clock.advance(10_000);
    await s.stop();
    expect(clock.fired).toBe(10);
    for (const t of ticks) expect(t).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
  });

  it('control: without a grid (1 ms quantum), the same jobs out of phase wake once each', async () => {
    // Each job is kicked once at a different instant, as the old scheduler spread
    // them; with no grid to pull them back together they need a wake-up each.
    const clock = new CountingClock();
    const s = new Scheduler(clock, () => undefined, { coarseMs: 1, quantumMs: 1 });
    const ticks = Array.from({ length: 5 }, () => [] as number[]);
    s.start(ticks.map((t, i) => job(clock, `j${i}`, 1000, t)));
    for (let i = 0; i < 5; i++) {
      await clock.advance(37);
      s.kick(`j${i}`);
    }
    const before = clock.fired;
    await clock.advance(5000);
    await s.stop();
    expect(clock.fired - before).toBe(25);
  });

  it('runs a tick that overran its interval at once, and a kicked job now, then back on the grid', async () => {
    const clock = new FakeClock();
    const s = new Scheduler(clock, () => undefined);
    const slow: number[] = [];
    const kicked: number[] = [];
    s.start([job(clock, 'slow', 1000, slow, 1200), job(clock, 'kicked', 1000, kicked)]);
    await clock.advance(130);
    s.kick('kicked');
    await clock.advance(2000);
    await s.stop();
    expect(slow.slice(0, 2)).toEqual([0, 1200]);
    // Kicked at 130 ms, it rejoins the others on the next whole second.
    expect(kicked).toEqual([0, 130, 2000]);
    expect(onGrid(1130, 1000)).toBe(2000);
  });

  it('stop() ends every wait and leaves no timer behind', async () => {
    const clock = new FakeClock();
    const s = new Scheduler(clock, () => undefined);
    s.start([job(clock, 'a', 1000, []), job(clock, 'b', 15_000, [])]);
    await clock.advance(500);
    await s.stop();
    expect(s.stopped).toBe(true);
    expect(clock.timers).toEqual([]);
  });
});

describe('scheduler, with timers that fire late', () => {
  it('keeps a job on its grid point when its tick starts a few ms late (a late start does not cost a whole interval)', async () => {
    // A clock whose timers fire 3 ms after they were due, like a busy event loop.
    class LateClock extends FakeClock {
      override after = (ms: number, fn: () => void) => {
        const timer = { at: this.t + Math.max(0, ms) + 3, resolve: fn };
        this.timers.push(timer);
        return () => {
          this.timers = this.timers.filter((x) => x !== timer);
        };
      };
    }
    const clock = new LateClock();
    const s = new Scheduler(clock, () => undefined);
    const ticks: number[] = [];
    s.start([job(clock, 'a', 1000, ticks)]);
    await clock.advance(5100);
    await s.stop();
    expect(ticks).toEqual([0, 1003, 2003, 3003, 4003, 5003]);
  });
});
