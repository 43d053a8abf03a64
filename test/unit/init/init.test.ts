import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutDevFlags } from '../../../src/init/kind.js';
import { run } from '../cli/ops-cli.js';

// `botstack init --from`: unit tests of each feature through the CLI, in-process.

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const FIX = join(REPO, 'test', 'fixtures');
const INCIDENT = join(FIX, 'check', 'start_all_services.sh');
const BOT_STACK = join(FIX, 'init', 'start_bot_stack.sh');
const MISC = join(FIX, 'init', 'start_misc.sh');
const DIRTY_PM2 = join(FIX, 'check', 'ecosystem.dirty.config.js');
const env = { PM2_HOME: join(tmpdir(), 'botstack-no-daemon-here') };

/** A project folder that has botstack installed, as a user's would after `npm install botstack`. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-init-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'botstack'));
  return dir;
}

interface PlanJson {
  services: { name: string; kind: string; target: string; port: number | null; dependsOn: { name: string; guess: boolean }[]; healthPath: string | null; secrets: string[]; notes: string[] }[];
  secrets: string[];
  written: boolean;
}
const planOf = async (from: string[], cwd = project()): Promise<PlanJson> => {
  const r = await run(['init', '--from', ...from, '--dry-run', '--json'], { env, cwd });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as PlanJson;
};

describe('botstack init --from', () => {
  it("the incident's start_all_services.sh becomes our stack: mongod, api, web, bot, with their ports, in start order", async () => {
    const plan = await planOf([INCIDENT]);
    expect(plan.services.map((s) => [s.name, s.kind, s.target, s.port])).toEqual([
      ['mongod', 'mongod', 'mongod', 27017],
      ['api', 'uvicorn', 'api_v2.app:app', 8002],
      ['web', 'uvicorn', 'web.app:app', 8003],
      ['bot', 'python', 'bot/main.py', null],
    ]);
    expect(plan.services.map((s) => s.dependsOn)).toEqual([[], [{ name: 'mongod', guess: true }], [{ name: 'api', guess: true }], [{ name: 'api', guess: true }]]);
    expect(plan.written).toBe(false);
  });

  it("the whole file for the incident's script, pinned (test/fixtures/init/expected/)", async () => {
    const r = await run(['init', '--from', INCIDENT, '--dry-run'], { env, cwd: project() });
    expect(r.stdout).toBe(readFileSync(join(FIX, 'init', 'expected', 'start_all_services.ecosystem.config.ts'), 'utf8'));
  });

  it('writes a stack that check passes with no error finding, says what it found, and refuses to overwrite it', async () => {
    const dir = project();
    const first = await run(['init', '--from', INCIDENT], { env, cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `found 4 services in ${INCIDENT}: mongod (mongod :27017), api (uvicorn :8002), web (uvicorn :8003), bot (python)\n` +
        'wrote ./ecosystem.config.ts\n' +
        "wrote ./ecosystem.config.cjs, ./ecosystem.config.js: pm2's entry for it (pm2 start ecosystem.config.js)\n" +
        'check the guessed dependsOn of api, web, bot (from the start order)\n' +
        'next: botstack check && botstack start   (at boot: sudo botstack startup)\n',
    );
    const text = readFileSync(join(dir, 'ecosystem.config.ts'), 'utf8');
    expect(text).toContain("import { defineStack } from 'botstack';");
    expect(text).not.toMatch(/'--reload'|watch: true/);
    expect(text).toContain('// dropped --reload: production never reloads');
    const check = await run(['check', '--json'], { env, cwd: dir });
    expect(check.stderr).toBe('');
    expect(JSON.parse(check.stdout).findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    expect(check.code).toBe(0);
    // Control: the script it came from fails the same check.
    expect((await run(['check', INCIDENT], { env, cwd: dir })).code).toBe(1);

    const again = await run(['init', '--from', INCIDENT], { env, cwd: dir });
    expect(again).toEqual({ code: 2, stdout: '', stderr: 'botstack: ecosystem.config.ts already exists; not overwriting it. Pass --out <other file>, or --force to replace it\n' });
    expect(readFileSync(join(dir, 'ecosystem.config.ts'), 'utf8')).toBe(text);
    writeFileSync(join(dir, 'ecosystem.config.ts'), '// mine\n');
    expect((await run(['init', '--from', INCIDENT, '--force'], { env, cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'ecosystem.config.ts'), 'utf8')).toBe(text);
  });

  it('unreadable input and input with no services are exit 2 with the reason, and write nothing', async () => {
    const dir = project();
    const missing = await run(['init', '--from', 'nope.sh'], { env, cwd: dir });
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'botstack: nope.sh: cannot read: no such file\n' });
    writeFileSync(join(dir, 'deploy.sh'), '#!/bin/bash\ncd /srv/app\ngit pull\npip install -r requirements.txt\n');
    const none = await run(['init', '--from', 'deploy.sh'], { env, cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("botstack: deploy.sh: no service found (nothing started in the background, exec'd, daemonised or declared as an app); init has nothing to write\n");
    expect(existsSync(join(dir, 'ecosystem.config.ts'))).toBe(false);
    const nowhere = await run(['init', '--from', INCIDENT, '--out', 'no/such/dir/stack.ts'], { env, cwd: dir });
    expect(nowhere).toEqual({ code: 2, stdout: '', stderr: 'botstack: cannot write no/such/dir/stack.ts: no folder no/such/dir; pass --out <file> in a folder you can write\n' });
    const stack = await run(['init', '--from', join(FIX, 'check', 'stacks', 'clean.ts'), '--out', 'x.ts'], { env, cwd: dir });
    expect(stack.code).toBe(2);
    expect(stack.stderr).toMatch(/clean\.ts: this is already a botstack stack; nothing to convert\n$/);
    expect(existsSync(join(dir, 'x.ts'))).toBe(false);
  });

  it('moves secrets to key names: no value reaches the file, stdout or the plan', async () => {
    const dir = project();
    const r = await run(['init', '--from', BOT_STACK, DIRTY_PM2, MISC, '--out', 'stack.ts'], { env, cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'stack.ts'), 'utf8');
    const json = (await run(['init', '--from', BOT_STACK, DIRTY_PM2, MISC, '--dry-run', '--json'], { env, cwd: dir })).stdout;
    for (const value of ['AAHfake-but-shaped-like-a-real-token-xyz', 'sk_live_51Hfakefakefakefake1234', readFileSync(DIRTY_PM2, 'utf8').match(/TELEGRAM_BOT_TOKEN: '([^']+)'/)?.[1] ?? 'x'.repeat(40)]) {
      expect(text).not.toContain(value);
      expect(r.stdout).not.toContain(value);
      expect(json).not.toContain(value);
    }
    expect(r.stdout).toContain('put these keys in <root>/.env (mode 600); no value was copied: TELEGRAM_BOT_TOKEN, STRIPE_API_KEY\n');
    expect(text).toContain("secrets: ['TELEGRAM_BOT_TOKEN'], // values go in <root>/.env, never here");
    expect(text).toContain("secrets: ['STRIPE_API_KEY']");
  });

  it('health: a path where the script polls it; without the app code beside it, TCP with why TCP is blind and a commented hint', async () => {
    const plan = await planOf([BOT_STACK]);
    expect(plan.services.map((s) => [s.name, s.healthPath])).toEqual([['mongod', null], ['api', '/health'], ['web', '/api/health'], ['bot', null]]);
    // The bot's API_V2_URL names the api's port: a dependency, not a guess.
    expect(plan.services[3]?.dependsOn).toEqual([{ name: 'api', guess: false }]);
    const text = (await run(['init', '--from', INCIDENT, '--dry-run'], { env, cwd: project() })).stdout;
    expect(text).toContain("health: { type: 'tcp' }, // the source shows no health route. TCP cannot see a hang: a stopped or deadlocked process still completes the handshake; give the app a route and:\n      // health: { type: 'http', path: '/health' },");
  });

  it('gunicorn stays a command (with why), node and python scripts get their kinds, a database run as a command depends on nothing', async () => {
    const plan = await planOf([MISC]);
    expect(plan.services.map((s) => [s.name, s.kind, s.target, s.port])).toEqual([
      ['shop', 'command', 'gunicorn shop.wsgi:application -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:9000 --workers 3', 9000],
      ['worker', 'node', 'worker/index.js', null],
      ['sync', 'python', 'jobs/sync.py', null],
      ['redis', 'command', 'redis-server --port 6380', 6380],
    ]);
    expect(plan.services[0]?.notes[0]).toMatch(/^gunicorn stays a command: botstack has no gunicorn kind/);
    expect(plan.services[0]?.notes).toContain('dropped --reload: production never reloads');
    expect(plan.services[3]?.dependsOn).toEqual([]);
  });

  it('a pm2 file: names kept, a password in a URL becomes a secret, a port claimed twice stays with the first', async () => {
    const dir = project();
    const r = await run(['init', '--from', join(FIX, 'init', 'ecosystem.config.cjs')], { env, cwd: dir });
    expect(r.stderr).toBe('');
    const text = readFileSync(join(dir, 'ecosystem.config.ts'), 'utf8');
    expect(text).not.toContain('s3cr3t-pass');
    expect(text).toContain("secrets: ['DATABASE_URL']");
    expect(text).toContain("secrets: ['BOT_TOKEN']");
    expect(text).toContain('// the source gave it port 3000, which shop-api already has: one of them would fail to bind; give it a port of its own');
    // A key the pm2 file took from its environment is neither copied as "undefined" nor lost.
    expect(text).not.toContain('undefined');
    expect(text).toContain('// SHOP_CHAT_ID came from the environment pm2 was started in; put it in env: {…}, or in <root>/.env and secrets: […]');
    const plan = await planOf([join(FIX, 'init', 'ecosystem.config.cjs')], dir);
    expect(plan.services.map((s) => [s.name, s.kind, s.port, s.dependsOn])).toEqual([
      ['shop-api', 'uvicorn', 3000, []],
      ['shop-bot', 'python', null, [{ name: 'shop-api', guess: false }]],
    ]);
    const check = await run(['check', '--json'], { env, cwd: dir });
    expect(JSON.parse(check.stdout).findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    // Control: the pm2 file itself has errors (watch, --reload).
    expect((await run(['check', join(FIX, 'init', 'ecosystem.config.cjs')], { env, cwd: dir })).code).toBe(1);
  });

  it('a pm2 script with no interpreter runs under node as pm2 would; a binary on PATH stays a command', async () => {
    const plan = await planOf([join(FIX, 'init', 'process.yml')]);
    expect(plan.services.map((s) => [s.name, s.kind, s.target, s.port])).toEqual([
      ['dashboard', 'node', './bin/server', 4000],
      ['builder', 'command', 'npm run watch-build', null],
    ]);
  });

  it('one service started in both branches of an if/else is one service, with a note; check passes on the result', async () => {
    const dir = project();
    const from = join(FIX, 'init', 'start_db_by_os.sh');
    const plan = await planOf([from], dir);
    expect(plan.services.map((s) => [s.name, s.kind, s.port])).toEqual([
      ['mongod', 'mongod', 27017],
      ['bot', 'python', null],
    ]);
    expect(plan.services[0]!.notes).toContainEqual(expect.stringMatching(/starts it too, in another branch of an if\/case: only one runs; init kept this one$/));
    expect((await run(['init', '--from', from], { env, cwd: dir })).code).toBe(0);
    const check = await run(['check', '--json'], { env, cwd: dir });
    expect(JSON.parse(check.stdout).findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
  });

  it('drops reload flags and their values, and nothing else', () => {
    expect(withoutDevFlags(['uvicorn', 'a:app', '--reload', '--reload-dir', 'src', '--port', '1'])).toEqual({ argv: ['uvicorn', 'a:app', '--port', '1'], dropped: ['--reload', '--reload-dir', 'src'] });
    expect(withoutDevFlags(['gunicorn', 'a:app', '--bind', ':1'])).toEqual({ argv: ['gunicorn', 'a:app', '--bind', ':1'], dropped: [] });
  });
});
