import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStatus } from '../../src/ops/status/collect.js';
import { waitFor } from '../../src/util/timeout.js';
import { run, writeStackFile } from '../unit/cli/ops-cli.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { makeProject } from '../helpers/project.js';
import { botStackInput, compileStack, mustLoad, randomPorts } from '../helpers/stack.js';

// `botstack soak` against a real pm2 running the fixture stack: a restart made
// through pm2 in the middle of the window must show in the summary and the code.

describe('botstack soak (real pm2)', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let config: string;
  beforeAll(async () => {
    d = await startPm2(cleanup);
    const root = makeProject();
    const input = botStackInput(root, await randomPorts());
    config = writeStackFile(input, root);
    const stack = mustLoad(input);
    await d.client.start(compileStack(stack));
    await waitFor('the stack healthy', async () => ((await collectStatus(d.client, stack)).stack === 'healthy' ? true : undefined), { timeoutMs: 45_000, intervalMs: 250 });
  }, 90_000);
  afterAll(() => cleanup.run(), 120_000);

  it('doctor sees each port held by its own service and no watch/--reload in the live list', async () => {
    const r = await run(['doctor', '--json', '--config', config], { env: { PM2_HOME: d.home } });
    const checks = (JSON.parse(r.stdout) as { checks: { check: string; level: string; message: string }[] }).checks;
    const portChecks = checks.filter((c) => c.check === 'port');
    expect(portChecks.map((c) => c.level)).toEqual(['ok', 'ok', 'ok']);
    expect(portChecks.every((c) => / listens \(pid \d+\)$/.test(c.message))).toBe(true);
    expect(checks.find((c) => c.check === 'watch')).toMatchObject({ level: 'ok', message: "no watch or --reload in pm2's 4 apps" });
    expect(checks.find((c) => c.check === 'daemon')).toMatchObject({ level: 'ok' });
    expect(checks.find((c) => c.check === 'mongod')).toMatchObject({ level: 'ok', message: 'mongod is bound to 127.0.0.1' });
  });

  it('catches a restart that happens during the window: api restarted, exit 1', async () => {
    const before = await d.proc('api');
    let samples = 0;
    const soak = run(['soak', '--duration', '6s', '--interval', '1s', '--json', '--config', config], {
      env: { PM2_HOME: d.home },
      onStderr: (s) => (samples += s.split('\n').filter((l) => l.startsWith('soak ')).length),
    });
    // The fact to wait for: the soak has taken two samples of a quiet stack.
    await waitFor('two soak samples', () => (samples >= 2 ? true : undefined), { timeoutMs: 15_000, intervalMs: 50 });
    await d.client.restart('api');
    const r = await soak;
    const j = JSON.parse(r.stdout) as { ok: boolean; samples: number; services: { name: string; restarts: number }[] };
    expect(j.ok).toBe(false);
    expect(j.samples).toBeGreaterThanOrEqual(6);
    expect(j.services.find((s) => s.name === 'api')!.restarts).toBe(1);
    expect(j.services.filter((s) => s.name !== 'api').map((s) => s.restarts)).toEqual([0, 0, 0]);
    expect((await d.proc('api')).restarts).toBe(before.restarts + 1);
    expect(r.stderr).toMatch(/^soak 0s\/6s  sample 1  restarts: none/m);
    expect(r.code).toBe(1);
  }, 90_000);
});
