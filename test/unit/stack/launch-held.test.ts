import { describe, expect, it } from 'vitest';
import { compileService } from '../../../src/stack/compile.js';
import { heldLaunch, isHeld, wantsHolder } from '../../../src/stack/launch-held.js';
import type { Service, Stack } from '../../../src/stack/types.js';
import { runtimePaths } from '../../../src/util/package-root.js';
import { load, ROOT, svc } from './given.js';

const held = (stack: Stack, name: string): Service => {
  const s = stack.services.find((x) => x.name === name)!;
  return { ...s, launch: heldLaunch(s.launch) };
};

describe('uvicorn under the socket holder', () => {
  it('only a plain uvicorn is held: not --reload, not --workers > 1, no other kind', () => {
    expect(wantsHolder('uvicorn', { reload: false })).toBe(true);
    expect(wantsHolder('uvicorn', { reload: false, workers: 1 })).toBe(true);
    expect(wantsHolder('uvicorn', { reload: true })).toBe(false);
    expect(wantsHolder('uvicorn', { reload: false, workers: 2 })).toBe(false);
    for (const kind of ['python', 'mongod', 'node', 'command', 'monitor']) expect(wantsHolder(kind, { reload: false })).toBe(false);
  });

  it("pm2 runs the holder with the venv's python; the service's own command line follows `--` unchanged", () => {
    const stack = load([svc.mongod, { ...svc.api, dependsOn: ['mongod'] }]);
    const app = compileService(stack, held(stack, 'api'));
    expect(app.interpreter).toBe(`${ROOT}/venv/bin/python`);
    expect(app.script).toBe(runtimePaths.sockhold());
    expect(app.args).toStrictEqual(['--', `${ROOT}/venv/bin/uvicorn`, 'api_v2.app:app', '--host', '127.0.0.1', '--port', '8002']);
    expect(app.env).toMatchObject({
      BOTSTACK_SOCKHOLD_DIR: `${ROOT}/logs/sockhold/api`,
      BOTSTACK_PROBE_PATH: '/health',
      BOTSTACK_GATE_STATUS: '200',
      BOTSTACK_STOP_TIMEOUT_MS: '15000',
      BOTSTACK_GATE_TIMEOUT_MS: '10000',
    });
    expect(app.kill_timeout).toBe(15_000);
    expect(isHeld(held(stack, 'api'))).toBe(true);
    expect(isHeld(stack.services.find((s) => s.name === 'api')!)).toBe(false);
  });

  it('with secrets, envexec.py still reads .env first, then runs the holder', () => {
    const stack = load([{ ...svc.api, secrets: ['API_KEY'] }]);
    const app = compileService(stack, held(stack, 'api'));
    expect(app.script).toBe(runtimePaths.envExec());
    expect(app.args).toStrictEqual([`${ROOT}/.env`, runtimePaths.sockhold(), '--', `${ROOT}/venv/bin/uvicorn`, 'api_v2.app:app', '--host', '127.0.0.1', '--port', '8002']);
    expect(isHeld(held(stack, 'api'))).toBe(true);
    expect(app.env.BOTSTACK_SOCKHOLD_DIR).toBe(`${ROOT}/logs/sockhold/api`);
  });
});
