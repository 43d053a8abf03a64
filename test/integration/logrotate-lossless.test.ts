import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLogrotate, type LogrotateInput } from '../../src/ops/logrotate/config.js';
import { daemonHasReopenFix } from '../../src/pm2/daemon-options.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { ROTATIONS, rotateWhileWriting } from '../helpers/rotation.js';

// Real logrotate(8), a real pm2 daemon in a temp PM2_HOME started the way
// botstack starts it, and a service that writes numbered lines 1,000 a second.
// Rotation runs 20 times while it writes; afterwards every number must be
// found exactly once across the rotated (decompressed) files and the current
// one. The config under test is the one `botstack startup` installs (rename,
// then pm2 reloadLogs). Controls: copytruncate, which is what pm2-logrotate
// does, loses lines (here); and pm2's daemon without botstack's preload loses
// lines at each reopen (logrotate-plain-pm2.test.ts: one pm2 per process).

describe('log rotation under a service writing 1,000 lines a second (real logrotate, real pm2)', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startPm2(cleanup);
  }, 60_000);
  afterAll(() => cleanup.run());

  it('the daemon runs with the preload that makes pm2 reloadLogs flush before it reopens', () => {
    expect(daemonHasReopenFix(d.home)).toBe(true);
  });

  it('rename + pm2 reloadLogs (what botstack installs): every number exactly once', async () => {
    const t = await rotateWhileWriting(cleanup, d, 'lossless', renderLogrotate);
    console.log(`lossless: ${t.last} lines, ${t.files} files, ${t.missing.length} missing, ${t.repeated.length} repeated`);
    if (t.missing.length > 0) console.log(`missing ${t.missing.join(',')}\n${t.ranges.join('\n')}`);
    expect(t.files).toBe(ROTATIONS + 1);
    expect(t.last).toBeGreaterThan(ROTATIONS * 200);
    expect({ missing: t.missing, repeated: t.repeated }).toEqual({ missing: [], repeated: [] });
    // Every renamed file was closed: the daemon holds the current out and err files and nothing else.
    expect(t.open).toEqual(['lossless.err.log', 'lossless.out.log']);
  }, 240_000);

  it('and at 20,000 lines a second of 100 bytes through 30 rotations (where pm2 as shipped loses hundreds): every number once', async () => {
    const t = await rotateWhileWriting(cleanup, d, 'hard', renderLogrotate, 20_000, 30, 99);
    console.log(`hard: ${t.last} lines, ${t.files} files, ${t.missing.length} missing, ${t.repeated.length} repeated`);
    expect(t.last).toBeGreaterThan(30 * 1000);
    expect({ missing: t.missing.length, repeated: t.repeated.length }).toEqual({ missing: 0, repeated: 0 });
    expect(t.open).toEqual(['hard.err.log', 'hard.out.log']);
  }, 300_000);

  it("control: copytruncate (pm2-logrotate's way) loses or repeats lines", async () => {
    const copytruncate = (i: LogrotateInput) =>
      renderLogrotate(i)
        .replace(/ {4}sharedscripts\n {4}postrotate\n.*\n {4}endscript\n/, '')
        .replace('    nocreate\n', '    copytruncate\n');
    // 1,000 lines a second lost 4 to 135 lines over 20 rotations in every run seen; 5,000 leaves no doubt.
    const t = await rotateWhileWriting(cleanup, d, 'copytruncate', copytruncate, 5000);
    console.log(`copytruncate: ${t.last} lines, ${t.files} files, ${t.missing.length} missing, ${t.repeated.length} repeated`);
    expect(t.missing.length + t.repeated.length).toBeGreaterThan(0);
  }, 240_000);
});
