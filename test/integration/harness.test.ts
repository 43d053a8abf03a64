import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { makeProject } from '../helpers/project.js';
import { botStackInput, compileStack, mustLoad, randomPorts } from '../helpers/stack.js';

describe('test harness: a real pm2 in a temp PM2_HOME runs the fixture stack', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startPm2(cleanup);
  });
  afterAll(() => cleanup.run());

  it('brings all four services online and the api answers on its port', async () => {
    const ports = await randomPorts();
    const stack = mustLoad(botStackInput(makeProject(), ports));
    await d.client.start(compileStack(stack));
    const list = await d.until('all online', (l) => l.length === 4 && l.every((p) => p.status === 'online' && p.pid > 0));
    expect(list.map((p) => p.name).sort()).toEqual(['api', 'bot', 'mongod', 'web']);
    const body = await waitOk(`http://127.0.0.1:${ports.api}/health`);
    expect(body.status).toBe('ok');
    expect(d.home).not.toContain('.pm2');
  });
});

async function waitOk(url: string): Promise<{ status: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return (await r.json()) as { status: string };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} never answered 200`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
