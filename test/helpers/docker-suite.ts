import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '../unit/cli/ops-cli.js';
import type { Cleanup } from './cleanup.js';
import { compose, type Compose } from './compose.js';
import { startDockerd, type Docker } from './docker.js';
import { ensureBaseImages } from './docker-images.js';
import { REPO } from './project.js';

// What every Compose test file does first: a private dockerd with the base
// images in it, then `botstack export compose` of a stack into a temp folder.

export async function dockerWithImages(cleanup: Cleanup): Promise<Docker> {
  const d = await startDockerd(cleanup);
  const r = await ensureBaseImages(d, (line) => process.stderr.write(`docker images: ${line}\n`));
  process.stderr.write(`docker images: ${r.how} in ${(r.ms / 1000).toFixed(1)} s${r.debootstrapMs !== undefined ? ` (debootstrap ${(r.debootstrapMs / 1000).toFixed(1)} s)` : ''}\n`);
  return d;
}

/** The demo, copied to a temp folder with its two published ports moved to free ones. */
export function demoCopy(ports: { api: number; web: number }): { root: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-compose-demo-'));
  cpSync(join(REPO, 'demo', 'app'), join(dir, 'app'), { recursive: true });
  cpSync(join(REPO, 'demo', 'mongod-standin.mjs'), join(dir, 'mongod-standin.mjs'));
  const text = readFileSync(join(REPO, 'demo', 'stack.config.ts'), 'utf8')
    .replace("'../src/stack/index.js'", JSON.stringify(join(REPO, 'src', 'stack', 'index.js')))
    .replace('api: 18002', `api: ${ports.api}`)
    .replace('web: 18003', `web: ${ports.web}`);
  writeFileSync(join(dir, 'stack.config.ts'), text);
  return { root: join(dir, 'app'), config: join(dir, 'stack.config.ts') };
}

/** `botstack export compose` into <out>, through the CLI as an operator runs it. */
export async function exportCompose(config: string, out: string, env: NodeJS.ProcessEnv = {}, extra: readonly string[] = []): Promise<string> {
  const r = await run(['export', 'compose', '--config', config, '--out', out, ...extra], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, cwd: dirname(config) });
  if (r.code !== 0) throw new Error(`botstack export compose exited ${r.code}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

export function projectName(tag: string): string {
  return `bst${tag}${process.pid}`;
}

/** A Compose project on `d`, taken down (volumes too) by the cleanup. */
export function composeProject(d: Docker, cleanup: Cleanup, dir: string, tag: string): Compose {
  const c = compose(d, dir, projectName(tag));
  cleanup.add(() => c.run(['down', '-v', '-t', '5']).catch(() => undefined));
  return c;
}
