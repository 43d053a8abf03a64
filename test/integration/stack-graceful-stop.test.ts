import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pm2App } from '../../src/stack/compile.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { MONGOD_STANDIN } from '../helpers/project.js';
import { freePorts } from '../helpers/ports.js';
import { compileStack, mustLoad } from '../helpers/stack.js';

// A database that needs 5 s to flush on SIGINT. botstack gives mongod 60 s
// before pm2's SIGKILL; pm2's own default is 1.6 s.

const FLUSH_MS = 5000;

function dbApp(root: string, name: string, port: number): Pm2App {
  const stack = mustLoad({ name: 'graceful', root, monitor: false, services: [{ name, kind: 'mongod', binary: MONGOD_STANDIN, port, dbpath: name, args: ['--flush-ms', String(FLUSH_MS)] }] });
  return compileStack(stack)[0]!;
}

/** The compiled app, minus kill_timeout: what a hand-written ecosystem file usually has. */
function withoutKillTimeout(app: Pm2App): Omit<Pm2App, 'kill_timeout'> {
  const { kill_timeout: _dropped, ...rest } = app;
  return rest;
}

const journal = (dbpath: string) => (existsSync(join(dbpath, 'journal.log')) ? readFileSync(join(dbpath, 'journal.log'), 'utf8').trim().split('\n') : []);

const outLog = (root: string, name: string) => (existsSync(join(root, 'logs', `${name}.out.log`)) ? readFileSync(join(root, 'logs', `${name}.out.log`), 'utf8') : '');

describe('graceful stop of a database', () => {
  const cleanup = new Cleanup();
  const root = mkdtempSync(join(tmpdir(), 'botstack-graceful-'));
  let d: TestDaemon;
  let stoppedIn: Record<string, number> = {};

  beforeAll(async () => {
    d = await startPm2(cleanup);
    const [p1, p2] = await freePorts(2);
    const botstack = dbApp(root, 'db-botstack', p1!);
    const control = withoutKillTimeout(dbApp(root, 'db-pm2-default', p2!));
    expect(botstack.kill_timeout).toBe(60_000);
    await d.client.start([botstack, control as Pm2App]);
    await d.until('both databases online', (l) => l.length === 2 && l.every((p) => p.status === 'online'));
    const raw = await d.client.rawList();
    // No kill_timeout of its own: pm2 falls back to its 1600 ms at stop time.
    expect(raw.find((r) => r.name === 'db-pm2-default')?.pm2_env.kill_timeout).toBeUndefined();
    // Wait for the stand-ins to have started listening (they remove a stale marker first).
    await d.until('both logged that they listen', () => ['db-botstack', 'db-pm2-default'].every((n) => outLog(root, n).includes('waiting for connections')));
    // Both stops run at once: one wall-clock wait for the slow flush.
    await Promise.all(['db-botstack', 'db-pm2-default'].map(async (name) => {
      const t0 = Date.now();
      await d.client.stop(name, 90_000);
      stoppedIn = { ...stoppedIn, [name]: Date.now() - t0 };
    }));
    console.log(`pm2 stop took ${stoppedIn['db-botstack']} ms with botstack's kill_timeout, ${stoppedIn['db-pm2-default']} ms with pm2's default`);
  }, 90_000);
  afterAll(() => cleanup.run());

  it('botstack\'s kill_timeout lets the flush finish: the clean-shutdown marker exists', () => {
    const db = join(root, 'db-botstack');
    expect(existsSync(join(db, 'clean-shutdown'))).toBe(true);
    expect(journal(db).length).toBeGreaterThan(10);
    expect(stoppedIn['db-botstack']).toBeGreaterThanOrEqual(FLUSH_MS - 200);
    expect(outLog(root, 'db-botstack')).toContain('mongod-standin: clean shutdown');
  });

  it('CONTROL: pm2\'s default 1.6 s SIGKILLs it mid-flush: no marker, the journal stops early', () => {
    const db = join(root, 'db-pm2-default');
    expect(existsSync(join(db, 'clean-shutdown'))).toBe(false);
    const lines = journal(db);
    expect(lines.length).toBeGreaterThan(0);
    const lastMs = Number(/flush (\d+)ms/.exec(lines.at(-1) ?? '')?.[1]);
    expect(lastMs).toBeLessThan(FLUSH_MS);
    expect(stoppedIn['db-pm2-default']).toBeLessThan(FLUSH_MS);
    expect(outLog(root, 'db-pm2-default')).not.toContain('clean shutdown');
  });
});
