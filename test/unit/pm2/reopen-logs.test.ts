import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../helpers/project.js';

// The rotation tests show lines lost under a real daemon, but only when a write
// happens to be queued at the reopen: a race, which a quiet run can miss. Here
// the queue is made on purpose: 2,000 lines written in one tick (the first in
// flight, the rest queued), then pm2's own reopen runs on pm2's own streams.
// Without the preload the queued lines are gone; with it every line is in the
// renamed file. The reopen is ForkMode.js's _reloadLogs body, line for line;
// the first test proves pm2 still does it that way.

const require = createRequire(import.meta.url);
const pm2Lib = join(require.resolve('pm2/package.json'), '..', 'lib');
const LINES = 2000;

interface Stds { out: unknown; err?: unknown }
interface Utility { startLogging(stds: Stds, cb: (err?: Error) => void): void }

/** A fresh copy of pm2's Utility module, so that patching one does not patch the other. */
function freshUtility(): Utility {
  const id = require.resolve(join(pm2Lib, 'Utility.js'));
  delete require.cache[id];
  return require(id) as Utility;
}

const start = (u: Utility, stds: Stds) => new Promise<void>((res, rej) => u.startLogging(stds, (e) => (e ? rej(e) : res())));

/** ForkMode.js cspr._reloadLogs, with the same Utility. */
function reloadLogs(u: Utility, stds: Record<string, any>): Promise<void> {
  for (const k in stds) {
    if (stds[k] && stds[k].destroy) stds[k].destroy();
    else if (stds[k] && stds[k].end) stds[k].end();
    else if (stds[k] && stds[k].close) stds[k].close();
    stds[k] = stds[k]._file;
  }
  return start(u, stds as Stds);
}

async function rotateWithQueue(u: Utility): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-reopen-'));
  const file = join(dir, 'svc.out.log');
  const stds: Record<string, any> = { out: file };
  await start(u, stds as Stds);
  const old = stds.out;
  for (let n = 1; n <= LINES; n++) old.write(`${n}\n`);
  // logrotate's rename, then pm2 reloadLogs: the queue is still behind the first write.
  renameSync(file, `${file}.1`);
  await reloadLogs(u, stds);
  // The old stream must close (its fd freed), not only finish: a deadline, not a hang.
  const closed = await new Promise<boolean>((res) => {
    if (old.closed) return res(true);
    const t = setTimeout(() => res(false), 5000);
    old.once('close', () => { clearTimeout(t); res(true); });
  });
  expect(closed, 'the renamed file is closed after the reopen').toBe(true);
  stds.out.end();
  await new Promise<void>((res) => stds.out.once('close', () => res()));
  return readFileSync(`${file}.1`, 'utf8').split('\n').filter(Boolean).length;
}

describe("pm2's log reopen with writes queued (deterministic control for runtime/pm2-reopen-logs.cjs)", () => {
  it("pm2 as installed still destroy()s each log stream in _reloadLogs", () => {
    const src = readFileSync(join(pm2Lib, 'God', 'ForkMode.js'), 'utf8');
    const body = /cspr\._reloadLogs = function\(cb\) \{([\s\S]*?)\n {6}\};/.exec(src)?.[1] ?? '';
    expect(body).toContain('if (stds[k] && stds[k].destroy) stds[k].destroy();');
    expect(body).toContain('Utility.startLogging(stds, cb);');
  });

  it('control: as shipped, the queued lines are lost', async () => {
    const kept = await rotateWithQueue(freshUtility());
    expect(kept).toBeLessThan(LINES);
  });

  it('with the preload, every queued line reaches the renamed file', async () => {
    const u = freshUtility();
    (require(join(REPO, 'runtime', 'pm2-reopen-logs.cjs')) as { patch(u: Utility): void }).patch(u);
    expect(await rotateWithQueue(u)).toBe(LINES);
  });
});
