import { compileStack } from '../../src/stack/compile.js';
import { fromInput } from '../../src/rules/stack-load.js';
import type { StackInput } from '../../src/stack/schema.js';
import type { Stack } from '../../src/stack/types.js';
import { freePorts } from './ports.js';
import { MONGOD_STANDIN } from './project.js';

export interface Ports {
  readonly mongo: number;
  readonly api: number;
  readonly web: number;
}

export const randomPorts = async (): Promise<Ports> => {
  const [mongo, api, web] = await freePorts(3);
  return { mongo: mongo!, api: api!, web: web! };
};

/** The incident's stack, as ecosystem.config.ts declares it, on test ports in `root`. */
export function botStackInput(root: string, ports: Ports, opts: { monitor?: boolean } = {}): StackInput {
  const api = `http://127.0.0.1:${ports.api}`;
  return {
    name: 'test-bot',
    root,
    // Without opts.monitor the stack runs unwatched, as the controls need: say so (the schema adds one otherwise).
    ...(opts.monitor ? {} : { monitor: false }),
    services: [
      { name: 'mongod', kind: 'mongod', binary: MONGOD_STANDIN, port: ports.mongo },
      { name: 'api', kind: 'uvicorn', app: 'api_v2.app:app', port: ports.api, env: { MONGO_PORT: String(ports.mongo) }, dependsOn: ['mongod'] },
      { name: 'web', kind: 'uvicorn', app: 'web.app:app', port: ports.web, env: { API_V2_URL: api }, health: { type: 'http', path: '/api/health' }, dependsOn: ['api'] },
      { name: 'bot', kind: 'python', script: 'bot/main.py', env: { API_V2_URL: api }, secrets: ['TELEGRAM_BOT_TOKEN'], health: { type: 'heartbeat', file: 'run/bot.heartbeat', maxAge: '30s' }, dependsOn: ['api'] },
      ...(opts.monitor ? [{ name: 'monitor', kind: 'monitor' as const }] : []),
    ],
  };
}

/** Loads an input through the real loader; throws with every problem if it is invalid. */
export function mustLoad(input: StackInput, env: Record<string, string | undefined> = {}): Stack {
  const r = fromInput(input, '<test>', { env });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.stack;
}

export { compileStack };
