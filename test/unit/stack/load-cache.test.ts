import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStackCached } from '../../../src/rules/stack-cached.js';
import { loadStack } from '../../../src/rules/stack-load.js';
import { recallBundle } from '../../../src/stack/bundle-cache.js';
import { faithfulJson } from '../../../src/stack/cache.js';

// The CLI's cached loader must give loadStack's answer whatever changed: the
// file, a file it imports, an env variable the module reads, the env resolve
// reads, the profile. Each case loads through the cache (its entries proven
// present), changes one thing, and compares with a fresh loadStack.

const SRC = resolve(import.meta.dirname, '..', '..', '..', 'src', 'stack', 'index.ts');
const PAST = new Date(Date.now() - 60_000);
let cacheDir: string;
let saved: string | undefined;

beforeEach(() => {
  saved = process.env.BOTSTACK_CACHE_DIR;
  cacheDir = mkdtempSync(join(tmpdir(), 'botstack-cache-'));
  process.env.BOTSTACK_CACHE_DIR = cacheDir;
});
afterEach(() => {
  if (saved === undefined) delete process.env.BOTSTACK_CACHE_DIR;
  else process.env.BOTSTACK_CACHE_DIR = saved;
  delete process.env.BOTSTACK_T_PORT;
});

/** Writes a file dated a minute ago: the bundle cache leaves alone a file written since just before a build. */
function put(file: string, text: string): void {
  writeFileSync(file, text);
  utimesSync(file, PAST, PAST);
}

function project(port: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-cached-'));
  put(join(dir, 'ports.ts'), `export const base: number = ${port};\n`);
  const file = join(dir, 'stack.config.ts');
  put(file, `import { defineStack } from ${JSON.stringify(SRC)};
import { base } from './ports.js';
const port = Number(process.env.BOTSTACK_T_PORT ?? base);
export default defineStack({ name: 'x', services: [{ name: 'a', kind: 'command', command: '/bin/sleep', args: ['100'], port, health: { type: 'tcp' } }] });
`);
  return { dir, file };
}

const portOf = (r: Awaited<ReturnType<typeof loadStack>>) => (r.ok ? r.stack.services[0]?.port : r.problems.map((p) => p.message));

/** Loads twice through the cache (the second a full hit) and checks both against loadStack. */
async function same(file: string, env: NodeJS.ProcessEnv = {}, profile?: 'development'): Promise<unknown> {
  const opts = { env, ...(profile ? { profile } : {}) };
  const want = await loadStack(file, opts);
  for (let i = 0; i < 2; i++) expect(await loadStackCached(file, opts)).toEqual(want);
  return want.ok ? want.stack : want.problems;
}

describe('loadStackCached', () => {
  it('uses its cache: after a load, the bundle, the parse and the checks are all kept', async () => {
    const { file } = project('7001');
    await same(file);
    expect(recallBundle(file)).not.toBeNull();
    expect(readdirSync(cacheDir).map((n) => n.split('-')[0]).sort()).toEqual(['bundle', 'bundle', 'clean', 'parsed']);
  });

  it('control: with the cache off it keeps nothing, and gives the same answer', async () => {
    process.env.BOTSTACK_CACHE_DIR = 'off';
    const { file } = project('7002');
    expect(portOf(await loadStackCached(file, { env: {} }))).toBe(7002);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('sees an edit of the stack file', async () => {
    const { file } = project('7003');
    await same(file);
    put(file, `export default { name: 'x', services: [{ name: 'a', kind: 'command', command: '/bin/sleep', args: ['1'], port: 7333, health: { type: 'tcp' } }] };\n`);
    expect(portOf(await loadStackCached(file, { env: {} }))).toBe(7333);
    await same(file);
  });

  it('sees an edit of a file the stack imports', async () => {
    const { dir, file } = project('7004');
    await same(file);
    put(join(dir, 'ports.ts'), 'export const base: number = 7444;\n');
    expect(portOf(await loadStackCached(file, { env: {} }))).toBe(7444);
  });

  it('sees a changed env variable the module reads, from the cached bundle', async () => {
    const { file } = project('7005');
    await same(file);
    process.env.BOTSTACK_T_PORT = '7555';
    expect(recallBundle(file)).not.toBeNull();
    expect(portOf(await loadStackCached(file, { env: {} }))).toBe(7555);
  });

  it('resolves afresh against the env and the profile it is given', async () => {
    const { file } = project('7006');
    const a = (await same(file, { BOTSTACK_ROOT: '/srv/a' })) as { root: string };
    const b = (await same(file, { BOTSTACK_ROOT: '/srv/b' }, 'development')) as { root: string; profile: string };
    expect([a.root, b.root, b.profile]).toEqual(['/srv/a', '/srv/b', 'development']);
  });

  it('gives the same problems as loadStack, never caching a stack that has them', async () => {
    const { file } = project('7007');
    put(file, `export default { name: 'x', services: [{ name: 'a', kind: 'command', command: '/bin/sleep', args: ['1'], port: 7007 }, { name: 'a', kind: 'command', command: '/bin/sleep', args: ['1'], port: 7007 }] };\n`);
    const problems = (await same(file)) as { message: string }[];
    expect(problems.length).toBeGreaterThan(0);
    expect(readdirSync(cacheDir).filter((n) => n.startsWith('clean-'))).toEqual([]);
  });

  it('caches only what JSON carries whole', () => {
    expect(faithfulJson({ a: [1, 'x', null, true] })).toBe('{"a":[1,"x",null,true]}');
    expect([faithfulJson({ a: undefined }), faithfulJson({ a: new Date() }), faithfulJson({ a: NaN }), faithfulJson([, 1])]).toEqual([null, null, null, null]);
  });
});
