import { describe, expect, it } from 'vitest';
import { compileService } from '../../../src/stack/compile.js';
import { isHeld, unheld, wantsHolder } from '../../../src/stack/launch-held.js';
import type { Service, Stack } from '../../../src/stack/types.js';
import { runtimePaths } from '../../../src/util/package-root.js';
import { load, ROOT, svc } from './given.js';

const held = (stack: Stack, name: string): Service => stack.services.find((x) => x.name === name)!;

describe('uvicorn under the socket holder', () => {
  it('only a plain uvicorn is held: not --reload, not --workers > 1, no other kind', () => {
    const app = ['api:app', '--host', '127.0.0.1', '--port', '8002'];
    expect(wantsHolder('uvicorn', app)).toBe(true);
    expect(wantsHolder('uvicorn', [...app, '--workers', '1'])).toBe(true);
    expect(wantsHolder('uvicorn', [...app, '--reload'])).toBe(false);
    expect(wantsHolder('uvicorn', [...app, '--workers', '2'])).toBe(false);
    expect(wantsHolder('uvicorn', [...app, '--workers=4'])).toBe(false);
    expect(wantsHolder('uvicorn', [...app, '--uds', '/run/api.sock'])).toBe(false);
    expect(wantsHolder('uvicorn', app, { BOTSTACK_SOCKHOLD: '0' })).toBe(false);
    for (const kind of ['python', 'mongod', 'node', 'command', 'monitor']) expect(wantsHolder(kind, app)).toBe(false);
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
    expect(unheld(held(stack, 'api').launch)).toStrictEqual({ interpreter: `${ROOT}/venv/bin/python`, script: `${ROOT}/venv/bin/uvicorn`, args: ['api_v2.app:app', '--host', '127.0.0.1', '--port', '8002'] });
    const plain = load([svc.mongod, { ...svc.api, dependsOn: ['mongod'] }], { env: { BOTSTACK_SOCKHOLD: '0' } });
    expect(isHeld(held(plain, 'api'))).toBe(false);
    expect(compileService(plain, held(plain, 'api')).env.BOTSTACK_SOCKHOLD_DIR).toBeUndefined();
  });

  it('with secrets, envexec.py still reads .env first, then runs the holder', () => {
    const stack = load([{ ...svc.api, secrets: ['API_KEY'] }]);
    const app = compileService(stack, held(stack, 'api'));
    expect(app.script).toBe(runtimePaths.envExec());
    expect(app.args).toStrictEqual([`${ROOT}/.env`, runtimePaths.sockhold(), '--', `${ROOT}/venv/bin/uvicorn`, 'api_v2.app:app', '--host', '127.0.0.1', '--port', '8002']);
    expect(isHeld(held(stack, 'api'))).toBe(true);
    expect(unheld(held(stack, 'api').launch).args).toStrictEqual([`${ROOT}/.env`, `${ROOT}/venv/bin/uvicorn`, 'api_v2.app:app', '--host', '127.0.0.1', '--port', '8002']);
    expect(app.env.BOTSTACK_SOCKHOLD_DIR).toBe(`${ROOT}/logs/sockhold/api`);
  });
});
