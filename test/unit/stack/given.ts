import { fromInput } from '../../../src/rules/stack-load.js';
import type { Profile, ServiceInput, StackInput } from '../../../src/stack/schema.js';
import type { Problem, Service, Stack } from '../../../src/stack/types.js';

// Small builders for unit tests: a stack rooted at /srv/bot, loaded through the
// real loader with an explicit env (never the test runner's own).

export const FILE = '/srv/bot/ecosystem.config.ts';
export const ROOT = '/srv/bot';

export interface Given {
  readonly env?: Record<string, string | undefined>;
  readonly profile?: Profile;
  readonly stack?: Partial<StackInput>;
}

export function stackOf(services: unknown[], g: Given = {}): unknown {
  return { name: 'bot', root: ROOT, services, ...g.stack };
}

export function load(services: unknown[], g: Given = {}): Stack {
  const r = fromInput(stackOf(services, g), FILE, { env: g.env ?? {}, ...(g.profile ? { profile: g.profile } : {}) });
  if (!r.ok) throw new Error(`expected a valid stack, got:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return r.stack;
}

export function one(service: ServiceInput, g: Given = {}): Service {
  const s = load([service], g).services[0];
  if (!s) throw new Error('no service');
  return s;
}

/** Every problem the loader reports for a raw input (input may be any shape). */
export function problems(input: unknown, env: Record<string, string | undefined> = {}): readonly Problem[] {
  const r = fromInput(input, FILE, { env });
  if (r.ok) throw new Error('expected problems, the stack loaded');
  return r.problems;
}

export const svc = {
  mongod: { name: 'mongod', kind: 'mongod' },
  api: { name: 'api', kind: 'uvicorn', app: 'api_v2.app:app', port: 8002 },
  bot: { name: 'bot', kind: 'python', script: 'bot/main.py' },
  node: { name: 'worker', kind: 'node', script: 'worker.js' },
  command: { name: 'redis', kind: 'command', command: 'redis-server' },
  monitor: { name: 'monitor', kind: 'monitor' },
} as const satisfies Record<string, ServiceInput>;
