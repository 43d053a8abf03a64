import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { planInit } from '../../../src/init/run.js';
import { ruleProblems } from '../../../src/ops/shared/preflight-rules.js';
import { checkFile } from '../../../src/rules/check-file.js';
import { loadStack } from '../../../src/rules/stack-load.js';

// init on a folder shaped like the incident's project, with a start script in
// the idioms real ones use (test/fixtures/init/incident/start_all_services.sh):
// the script's own folder, a venv picked by `if [ -f … ]`, health from the apps'
// code, the keys services read, and what it cannot resolve left to fill in.

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const SCRIPT = join(REPO, 'test', 'fixtures', 'init', 'incident', 'start_all_services.sh');

function project(script = readFileSync(SCRIPT, 'utf8')): string {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-incident-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(REPO, 'test', 'fixtures', 'user-project'), dir, { recursive: true });
  writeFileSync(join(dir, 'start_all_services.sh'), script);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'botstack'));
  return dir;
}

async function init(dir: string): Promise<string> {
  const r = await planInit({ from: ['start_all_services.sh'], out: join(dir, 'ecosystem.config.ts'), force: true, cwd: dir, env: {} });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  writeFileSync(r.out, r.text);
  return r.text;
}

describe("init on the incident's project", () => {
  it('PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)" and PYTHON_BIN set in an if: the venv is the project\'s, nothing unexpanded is written', async () => {
    const text = await init(project());
    expect(text).not.toMatch(/\$\(|BASH_SOURCE|\$PROJECT_DIR|\$PYTHON_BIN/);
    expect(text).not.toContain('venv:'); // <root>/venv is the default
    expect(text).toContain("root: process.env.BOTSTACK_ROOT ?? '.', // this file's folder");
    expect(text).toContain("script: 'bot/main.py',");
  });

  it('health from the code: /health in api_v2/app.py, /api/health in web/app.py, each with its file and line', async () => {
    const dir = project();
    const text = await init(dir);
    const line = (file: string, route: string) => readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(`@app.get("${route}")`)) + 1;
    expect(text).toContain(`health: { type: 'http', path: '/health' }, // declared in api_v2/app.py line ${line('api_v2/app.py', '/health')}`);
    expect(text).toContain(`health: { type: 'http', path: '/api/health' }, // declared in web/app.py line ${line('web/app.py', '/api/health')}`);
  });

  it('control: an app without a health route gets TCP, with the file looked in and why TCP is blind', async () => {
    const dir = project();
    writeFileSync(join(dir, 'web', 'app.py'), 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/")\ndef index(): ...\n');
    const text = await init(dir);
    expect(text).toContain("health: { type: 'tcp' }, // no health route in web/app.py (looked for /health, /healthz, /api/health, /ping, /status). TCP cannot see a hang");
  });

  it('secrets: TELEGRAM_BOT_TOKEN (exported to the bot, read by its code); TELEGRAM_TOKEN is local to the script', async () => {
    const text = await init(project());
    expect(text).toContain("secrets: ['TELEGRAM_BOT_TOKEN'], // values go in <root>/.env, never here");
    expect(text).not.toContain("'TELEGRAM_TOKEN'");
    expect(text).toContain('// TELEGRAM_TOKEN: set in the script but given to no service and read by none; not a secret of this stack.');
  });

  it("a secret only the project's .env holds (the bot loads it itself) is the secret of the service whose code reads it; control: no .env, no secret", async () => {
    const script = readFileSync(SCRIPT, 'utf8').replace('export TELEGRAM_BOT_TOKEN\n', '');
    const withEnv = project(script);
    writeFileSync(join(withEnv, '.env'), 'TELEGRAM_BOT_TOKEN=123456:not-a-real-token-value\nAPI_V2_URL=http://localhost:8002\n');
    const text = await init(withEnv);
    expect(text).toContain("secrets: ['TELEGRAM_BOT_TOKEN']");
    expect(text).not.toContain('not-a-real-token-value');
    expect(text).not.toContain("'API_V2_URL'],");
    expect(await init(project(script))).not.toContain("secrets: ['TELEGRAM_BOT_TOKEN']");
  });

  it('a key exported to no one but read by the bot\'s own code is the bot\'s secret', async () => {
    const dir = project(readFileSync(SCRIPT, 'utf8').replace('export TELEGRAM_BOT_TOKEN\n', '').replace('TELEGRAM_TOKEN="$ALERT_TOKEN"', 'TELEGRAM_TOKEN="$ALERT_TOKEN"\nADMIN_API_KEY=abc'));
    writeFileSync(join(dir, 'bot', 'main.py'), readFileSync(join(dir, 'bot', 'main.py'), 'utf8') + '\nADMIN = os.getenv("ADMIN_API_KEY")\n');
    const text = await init(dir);
    expect(text).toContain("secrets: ['ADMIN_API_KEY']");
  });

  it('check on the stack: mongod in /tmp is an error with the safe move; on the script: pip on every start too', async () => {
    const dir = project();
    await init(dir);
    const stack = await checkFile(join(dir, 'ecosystem.config.ts'), 'ecosystem.config.ts', {});
    expect(stack.ok && stack.findings.filter((f) => f.severity === 'error').map((f) => `${f.service}:${f.rule}`)).toEqual(['mongod:db-data-in-tmp']);
    const script = await checkFile(join(dir, 'start_all_services.sh'), 'start_all_services.sh', {});
    const rules = script.ok ? script.findings.map((f) => `${f.line}:${f.rule}`) : [];
    expect(rules).toContain('24:pip-install-on-start');
    expect(rules).toContain('26:db-data-in-tmp');
  });

  it('a folder init cannot resolve is a FILL IN comment, never code; check and start both name the service and field', async () => {
    const dir = project(readFileSync(SCRIPT, 'utf8').replace('cd "$PROJECT_DIR"\n', 'cd "$APP_HOME"\n').replace('--dbpath /tmp/mongo_data', '--dbpath /var/lib/mongodb'));
    const text = await init(dir);
    expect(text).toContain(`// FILL IN cwd: the script runs api in "$APP_HOME", which init cannot resolve (shell); write that folder (relative to the root, or absolute) as cwd: '…'`);
    expect(text).not.toMatch(/cwd: '\$/);
    const c = await checkFile(join(dir, 'ecosystem.config.ts'), 'ecosystem.config.ts', {});
    const errors = c.ok ? c.findings.filter((f) => f.severity === 'error') : [];
    expect(errors.map((f) => `${f.service}:${f.rule}`)).toEqual(['api:unresolved-path', 'web:unresolved-path', 'bot:unresolved-path']);
    expect(errors[0]?.message).toMatch(/^api\.cwd is not filled in: init could not resolve it/);
    // start's preflight refuses with the same message.
    const loaded = await loadStack(join(dir, 'ecosystem.config.ts'), { env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const refused = await ruleProblems(loaded.stack, loaded.stack.services);
    expect(refused.filter((p) => p.endsWith('[unresolved-path]') || p.includes('[unresolved-path]\n'))).toHaveLength(3);
    expect(refused[0]).toContain(errors[0]!.message);
    // Control: filled in, the comment deleted, nothing is refused for it.
    writeFileSync(join(dir, 'ecosystem.config.ts'), readFileSync(join(dir, 'ecosystem.config.ts'), 'utf8').replace(/ *\/\/ FILL IN cwd:.*\n/g, ''));
    const again = await checkFile(join(dir, 'ecosystem.config.ts'), 'ecosystem.config.ts', {});
    expect(again.ok && again.findings.filter((f) => f.rule === 'unresolved-path')).toEqual([]);
  });
});

describe('init: a unit shipped as a template', () => {
  it('WorkingDirectory={{ python_app_dir }} (Ansible): a FILL IN for cwd, never a folder named "{{ python_app_dir }}"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botstack-tpl-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'python-service.service'), '[Service]\nWorkingDirectory={{ python_app_dir }}\nExecStart=/usr/bin/uvicorn main:app --host 127.0.0.1 --port 5002\nRestart=always\n');
    const r = await planInit({ from: ['python-service.service'], out: join(dir, 'stack.ts'), force: true, cwd: dir, env: {} });
    expect(r.ok && r.text).toContain('// FILL IN cwd: the script runs main in "{{ python_app_dir }}", which init cannot resolve (a template placeholder)');
    expect(r.ok && r.text).not.toMatch(/cwd: '\{\{/);
  });
});
