import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../helpers/cleanup.js';
import { imageCount, type Compose } from '../helpers/compose.js';
import { dockerSkipReason, type Docker } from '../helpers/docker.js';
import { composeProject, dockerWithImages, exportCompose } from '../helpers/docker-suite.js';
import { freePorts } from '../helpers/ports.js';
import { REPO, USER_PROJECT } from '../helpers/project.js';

// The user's own stack (test/fixtures/user-project, botstack's own
// ecosystem.config.ts) exported to Compose and run for real. What only a real
// run shows: the bot, which never writes a heartbeat, is healthy; the token
// reaches the bot from .env at run time and is in no layer of any image; the
// requirements.txt path of the Dockerfile builds.

const skip = await dockerSkipReason();
const MARKER = 'marker-4d1e77-token-never-in-an-image';
const APPS = ['mongod', 'api', 'web', 'bot'] as const;

/** The user's project as it is, with a .env and a venv beside the code (both must stay out of the image). */
function userCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'botstack-compose-user-'));
  cpSync(USER_PROJECT, root, { recursive: true });
  writeFileSync(join(root, '.env'), `TELEGRAM_BOT_TOKEN=${MARKER}\n`, { mode: 0o600 });
  mkdirSync(join(root, 'venv', 'bin'), { recursive: true });
  writeFileSync(join(root, 'venv', 'pyvenv.cfg'), `home = /usr/bin\n# ${MARKER}-venv\n`);
  // PyPI is not reachable here: keep the pin pip finds satisfied in the Debian-built base (uvicorn 0.17.6
  // is bookworm's), drop those only PyPI has. fastapi goes too: bookworm's 0.92.0 declares starlette<0.26
  // beside Debian's patched 0.26.1, and pip would go to PyPI to fix that. The code imports none at start
  // but fastapi, which the base has.
  const pins = readFileSync(join(root, 'requirements.txt'), 'utf8').split('\n').filter((l) => /^uvicorn==/.test(l));
  writeFileSync(join(root, 'requirements.txt'), pins.join('\n') + '\n');
  return root;
}

/** botstack's own ecosystem.config.ts with its two published ports moved to free ones. */
function stackFile(dir: string, ports: { api: number; web: number }): string {
  const text = readFileSync(join(REPO, 'ecosystem.config.ts'), 'utf8')
    .replace("'./src/stack/index.js'", JSON.stringify(join(REPO, 'src', 'stack', 'index.js')))
    .replaceAll('8002', String(ports.api))
    .replace('port: 8003', `port: ${ports.web}`);
  const file = join(dir, 'ecosystem.config.ts');
  writeFileSync(file, text);
  return file;
}

describe.skipIf(skip !== null)("the user's stack exported to Compose, on a real Docker", () => {
  const cleanup = new Cleanup();
  let d: Docker;
  let c: Compose;
  let root: string;

  beforeAll(async () => {
    d = await dockerWithImages(cleanup);
    const [api, web] = await freePorts(2);
    root = userCopy();
    const out = join(root, 'deploy', 'compose');
    const config = stackFile(mkdtempSync(join(tmpdir(), 'botstack-compose-cfg-')), { api: api!, web: web! });
    const said = await exportCompose(config, out, { BOTSTACK_ROOT: root });
    expect(said).not.toContain(MARKER);
    // env_file is read beside compose.yaml: the export's next step links the VPS's .env there.
    cpSync(join(root, '.env'), join(out, '.env'));
    c = composeProject(d, cleanup, out, 'user');
  }, 600_000);
  afterAll(() => cleanup.run(), 120_000);

  it('up --build: every container healthy, the bot too, with no heartbeat set up', async () => {
    await c.run(['up', '-d', '--build']);
    await c.untilHealthy(APPS, 150_000);
    const bot = await c.inspect('bot');
    expect(bot.State.Health?.Status).toBe('healthy');
    // The control: there is no heartbeat file, so a check that called a missing file "down" (the export
    // before this fix) fails in this very container, and the bot would never have been healthy.
    const beat = bot.Config.Env.find((e) => e.startsWith('BOTSTACK_HEARTBEAT='))!.split('=')[1]!;
    const old = await d.docker(['exec', bot.Id, 'python', '-c', `import os, sys, time; sys.exit(0 if time.time() - os.stat(${JSON.stringify(beat)}).st_mtime <= 60 else 1)`], { reject: false });
    expect(old.exitCode).not.toBe(0);
  }, 300_000);

  it('the token comes from .env into the bot at run time, and is in no image layer nor image history', async () => {
    const bot = await c.inspect('bot');
    expect(bot.Config.Env).toContain(`TELEGRAM_BOT_TOKEN=${MARKER}`);
    const images = [...new Set(await Promise.all([...APPS, 'monitor'].map(async (s) => (await c.inspect(s)).Image)))];
    expect(images.length).toBe(3); // mongo, the app image, the monitor's
    for (const image of images) {
      expect((await d.docker(['history', '--no-trunc', image])).stdout, image).not.toContain(MARKER);
      expect(await imageCount(d, image, MARKER), image).toBe(0);
    }
    // The control: the build's source stage did take the whole context (.env, venv), and the grep finds it there.
    const dangling = (await d.docker(['images', '-q', '--filter', 'dangling=true'])).stdout.split('\n').filter(Boolean);
    const counts = await Promise.all(dangling.map((id) => imageCount(d, id, MARKER)));
    expect(Math.max(0, ...counts)).toBeGreaterThan(0);
  }, 300_000);

  it('the app image holds the code as /app, without .env, venv or the export itself', async () => {
    const api = await c.inspect('api');
    const ls = (await d.docker(['exec', api.Id, 'sh', '-c', 'ls -A /app'])).stdout.split('\n');
    expect(ls).toEqual(expect.arrayContaining(['api_v2', 'bot', 'web', 'requirements.txt']));
    for (const gone of ['.env', 'venv']) expect(ls, gone).not.toContain(gone);
    expect((await d.docker(['exec', api.Id, 'id', '-u'])).stdout.trim()).toBe('10001');
  });
});
