import { describe, expect, it } from 'vitest';
import { everyToCron } from '../../../src/stack/cron.js';
import { fromInput } from '../../../src/rules/stack-load.js';
import { parseDuration } from '../../../src/stack/units.js';
import { botStackInput } from '../../helpers/stack.js';

const cron = (every: string) => everyToCron(parseDuration(every)!, every);

describe('deploy.every -> the cron expression pm2 runs the scheduled deploy on', () => {
  it('periods that divide the hour or the day', () => {
    expect(cron('1m')).toEqual({ ok: true, cron: '* * * * *' });
    expect(cron('30m')).toEqual({ ok: true, cron: '*/30 * * * *' });
    expect(cron('60m')).toEqual({ ok: true, cron: '0 * * * *' });
    expect(cron('6h')).toEqual({ ok: true, cron: '0 */6 * * *' });
    expect(cron('24h')).toEqual({ ok: true, cron: '0 0 * * *' });
  });

  it("refuses what cron cannot run evenly, naming the nearest periods that work (the incident's 25m among them)", () => {
    expect(cron('25m')).toEqual({ ok: false, message: 'every: "25m" cannot be a pm2 cron schedule: cron steps restart every hour, so "*/25" would not run every 25 minutes (25 does not divide 60); use "20m" or "30m"' });
    expect(cron('90m')).toEqual({ ok: false, message: 'every: "90m" cannot be a pm2 cron schedule: a period over an hour must be whole hours; use "1h" or "2h"' });
    expect(cron('5h')).toMatchObject({ ok: false, message: expect.stringContaining('use "4h" or "6h"') });
    expect(cron('30s')).toMatchObject({ ok: false, message: expect.stringContaining('at most once a minute') });
    expect(cron('48h')).toMatchObject({ ok: false, message: expect.stringContaining('use "24h"') });
  });

  it('the stack schema carries it: deploy: { every, ref } resolves, a bad period is a problem with its path', () => {
    const base = botStackInput('/srv/bot', { mongo: 27017, api: 8002, web: 8003 });
    const ok = fromInput({ ...base, deploy: { every: '30m', ref: 'origin/main' } }, 'ecosystem.config.ts', { env: {} });
    expect(ok.ok && ok.stack.deploy).toEqual({ every: '30m', cron: '*/30 * * * *', ref: 'origin/main' });
    const bad = fromInput({ ...base, deploy: { every: '25m' } }, 'ecosystem.config.ts', { env: {} });
    expect(bad.ok ? [] : bad.problems.map((p) => [p.path, p.message])).toEqual([['deploy.every', expect.stringContaining('use "20m" or "30m"')]]);
    const typo = fromInput({ ...base, deploy: { evry: '30m' } }, 'ecosystem.config.ts', { env: {} });
    expect(typo.ok).toBe(false);
  });

  it('deploy.paths on a service is strict: no globs, no unknown keys', () => {
    const base = botStackInput('/srv/bot', { mongo: 27017, api: 8002, web: 8003 });
    const withPaths = (deploy: unknown) => fromInput({ ...base, services: base.services.map((s) => (s.name === 'api' ? { ...s, deploy } : s)) }, 'x.ts', { env: {} });
    const ok = withPaths({ paths: ['shared/'] });
    expect(ok.ok && ok.stack.services.find((s) => s.name === 'api')?.deployPaths).toEqual(['shared/']);
    const glob = withPaths({ paths: ['shared/*.py'] });
    expect(glob.ok ? [] : glob.problems.map((p) => p.path)).toEqual(['services.1.deploy.paths.0']);
    expect(withPaths({ watch: ['x'] }).ok).toBe(false);
  });
});
