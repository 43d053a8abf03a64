import type { App, Profile, RuleContext } from '../../../src/rules/types.js';

// A pm2 app that breaks no rule; each test changes the one thing it is about.

export const FILE = 'ecosystem.config.js';

export function app(over: Partial<App> = {}): App {
  return {
    name: 'api',
    format: 'pm2',
    ref: 'apps[0]',
    index: null,
    argv: ['/srv/bot/venv/bin/python', '/srv/bot/venv/bin/uvicorn', 'api_v2.app:app', '--port', '8002'],
    interpreter: '/srv/bot/venv/bin/python',
    cwd: '/srv/bot',
    env: {},
    watch: false,
    memoryBytes: 512 * 1024 ** 2,
    restart: { autorestart: true, maxRestarts: 16, minUptimeMs: 1000, backoffMs: 500, delayMs: null },
    killTimeoutMs: 15_000,
    host: '127.0.0.1',
    port: 8002,
    database: null,
    isPython: true,
    inVenv: true,
    venvExpected: true,
    unbuffered: true,
    logs: { out: '/srv/bot/logs/api.out.log', err: '/srv/bot/logs/api.err.log' },
    line: 3,
    ...over,
  };
}

export const mongod = (over: Partial<App> = {}): App =>
  app({ name: 'mongod', argv: ['mongod', '--bind_ip', '127.0.0.1'], interpreter: null, isPython: false, database: 'mongod', port: 27017, memoryBytes: null, killTimeoutMs: 60_000, logs: { out: '/l/m.out', err: '/l/m.err' }, ...over });

export const ctx = (apps: readonly App[], profile: Profile = 'production'): RuleContext => ({ file: FILE, profile, apps });
