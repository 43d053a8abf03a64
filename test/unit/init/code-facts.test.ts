import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeFacts, envReads } from '../../../src/init/code-facts.js';
import { textHints } from '../../../src/init/hints.js';
import { readShell } from '../../../src/rules/model/from-shell.js';

// What init reads from a service's own code beside the script: env keys, health routes, and where the module is.

const dir = mkdtempSync(join(tmpdir(), 'bs-code-facts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const put = (rel: string, text: string): string => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
  return join(dir, rel);
};

describe('init: the keys a service reads', () => {
  it('os.getenv, os.environ[...] and .get, decouple config(), process.env, pydantic BaseSettings fields (with env_prefix)', () => {
    const py = 'import os\nA = os.getenv("BOT_TOKEN")\nB = os.environ["DB_PASSWORD"]\nC = os.environ.get(\'API_KEY\', "")\nD = config("SECRET_KEY")\n'
      + 'class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix="APP_")\n    telegram_token: str\n    debug: bool = False\n';
    expect([...envReads(py)].sort()).toEqual(['API_KEY', 'APP_DEBUG', 'APP_TELEGRAM_TOKEN', 'BOT_TOKEN', 'DB_PASSWORD', 'SECRET_KEY']);
    expect([...envReads('const t = process.env.TG_TOKEN; const u = process.env["STRIPE_KEY"];')].sort()).toEqual(['STRIPE_KEY', 'TG_TOKEN']);
  });
  it('control: a key only mentioned in a string or comment is not read', () => {
    expect([...envReads('# set BOT_TOKEN in .env\nprint("BOT_TOKEN missing")\n')]).toEqual([]);
  });
});

describe('init: where the app module is', () => {
  it('`cd backend && uvicorn app.main:app` (a Procfile line): the module under backend/', () => {
    put('p1/backend/app/main.py', 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/health")\ndef h(): ...\n');
    const proc = put('p1/start.sh', '#!/bin/bash\ncd backend && exec uvicorn app.main:app --port 8000\n');
    const [a] = readShell('cd backend && exec uvicorn app.main:app --port 8000\n', { script: proc }).apps;
    expect(codeFacts(a!, proc).route).toMatchObject({ path: '/health', shown: 'backend/app/main.py', line: 3 });
  });
  it('uvicorn --app-dir user_database_tg/api api_server:app', () => {
    put('p2/user_database_tg/api/api_server.py', 'app = FastAPI()\n@app.get("/healthz")\ndef h(): ...\n');
    const s = put('p2/run.sh', '');
    const [a] = readShell('uvicorn api_server:app --app-dir=user_database_tg/api &\n', { script: s }).apps;
    expect(codeFacts(a!, s).route?.path).toBe('/healthz');
  });
});

describe('init: the venv the script activates, as the walk resolved it', () => {
  it('DIR="$( cd "$( dirname "${BASH_SOURCE[0]}" )" && pwd )"; source "$DIR/venv/bin/activate": the project venv, not "$DIR/venv"', () => {
    const s = put('p3/COGnition.sh', '');
    const text = 'DIR="$( cd "$( dirname "${BASH_SOURCE[0]}" )" && pwd )"\nsource "$DIR/venv/bin/activate"\npython "$DIR/app.py" >/dev/null 2>&1 &\n';
    const apps = readShell(text, { script: s }).apps;
    expect(apps[0]?.venvDir).toBe(join(dir, 'p3', 'venv'));
    expect(textHints(text, apps, s).venv).toBe('venv');
  });
  it('a relative cd after a relative cd stays relative (cd src/; cd ..)', () => {
    const [a] = readShell('cd src/\ncd ..\nexec python3 bot.py\n').apps;
    expect(a?.cwd).toBe('.');
  });
});
