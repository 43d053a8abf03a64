import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_MARK, moduleType } from '../../../src/init/pm2-entry.js';
import { packageRoot } from '../../../src/util/package-root.js';
import { run } from '../cli/ops-cli.js';

// init writes pm2's own entry in the user's folder: ecosystem.config.cjs loads the
// typed stack through the botstack that wrote it (by absolute path), and
// ecosystem.config.js re-exports it in the folder's module type. Loaded here the
// way pm2 loads it: require() in a plain node process (needs dist: pretest).

const INCIDENT = resolve(import.meta.dirname, '..', '..', 'fixtures', 'check', 'start_all_services.sh');
const env = { PM2_HOME: join(tmpdir(), 'botstack-no-daemon-here') };

function folder(pkg?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-entry-'));
  if (pkg) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  return dir;
}

/** What pm2 does with the file: require() it and read `apps`. */
function pm2Load(dir: string, file: string, extraEnv: Record<string, string> = {}): { names?: string[]; error?: string } {
  const code = `try { const m = require(${JSON.stringify(join(dir, file))}); process.stdout.write(JSON.stringify({ names: m.apps.map((a) => a.name) })); } catch (e) { process.stdout.write(JSON.stringify({ error: e.message })); }`;
  return JSON.parse(execFileSync(process.execPath, ['-e', code], { cwd: dir, encoding: 'utf8', env: { ...process.env, BOTSTACK_ROOT: dir, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] })) as { names?: string[]; error?: string };
}

describe("init writes pm2's entry in the user's folder", () => {
  for (const [label, pkg, expectEsm] of [['no package.json', undefined, false], ['"type": "module"', { type: 'module' }, true], ['"type": "commonjs"', { type: 'commonjs' }, false]] as const) {
    it(`${label}: ecosystem.config.js and .cjs hand pm2 the stack's apps, monitor included`, async () => {
      const dir = folder(pkg);
      expect((await run(['init', '--from', INCIDENT], { env, cwd: dir })).code).toBe(0);
      const js = readFileSync(join(dir, 'ecosystem.config.js'), 'utf8');
      expect(js.startsWith(ENTRY_MARK)).toBe(true);
      expect(js.includes('export const { apps }')).toBe(expectEsm);
      expect(readFileSync(join(dir, 'ecosystem.config.cjs'), 'utf8')).toContain(`const BOTSTACK = process.env.BOTSTACK_PACKAGE || ${JSON.stringify(packageRoot())};`);
      // The incident's stack names /v3 paths that do not exist here: validation refuses it, starting nothing.
      const bad = pm2Load(dir, 'ecosystem.config.js');
      expect(bad.error).toMatch(/nothing was started/);
    });
  }

  it('a valid stack loads through both files; with botstack gone, the error says what to run', async () => {
    const dir = folder({ type: 'module' });
    writeFileSync(join(dir, 'server.js'), 'setInterval(() => {}, 1000);\n');
    writeFileSync(join(dir, 'start.sh'), '#!/bin/bash\nnohup node server.js > logs/server.log 2>&1 &\n');
    expect((await run(['init', '--from', 'start.sh'], { env, cwd: dir })).code).toBe(0);
    expect(pm2Load(dir, 'ecosystem.config.js').names).toEqual(['server', 'monitor']);
    expect(pm2Load(dir, 'ecosystem.config.cjs').names).toEqual(['server', 'monitor']);
    const gone = pm2Load(dir, 'ecosystem.config.cjs', { BOTSTACK_PACKAGE: '/nonexistent/botstack' });
    expect(gone.error).toContain('botstack: no botstack at /nonexistent/botstack (uninstalled, or installed under another Node); pm2 starts nothing from');
    expect(gone.error).toContain('fix: npm i -g botstack, then run `botstack init --entry`');
  });

  it("never overwrites the user's own ecosystem.config.js (maybe the very file init read); --entry rewrites only ours", async () => {
    const dir = folder();
    const mine = "module.exports = { apps: [{ name: 'app', script: 'app.js' }] };\n";
    writeFileSync(join(dir, 'ecosystem.config.js'), mine);
    const r = await run(['init', '--from', INCIDENT], { env, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("wrote ./ecosystem.config.cjs: pm2's entry for it (pm2 start ecosystem.config.cjs)\n");
    expect(r.stdout).toContain('kept ./ecosystem.config.js: not written by botstack;');
    expect(readFileSync(join(dir, 'ecosystem.config.js'), 'utf8')).toBe(mine);
    writeFileSync(join(dir, 'ecosystem.config.cjs'), readFileSync(join(dir, 'ecosystem.config.cjs'), 'utf8').replace(JSON.stringify(packageRoot()), '"/old/botstack"'));
    const again = await run(['init', '--entry'], { env, cwd: dir });
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'ecosystem.config.cjs'), 'utf8')).toContain(JSON.stringify(packageRoot()));
    expect(readFileSync(join(dir, 'ecosystem.config.js'), 'utf8')).toBe(mine);
    expect(await run(['init', '--entry', '--out', 'nope.ts'], { env, cwd: dir })).toEqual({ code: 2, stdout: '', stderr: 'botstack: no stack at nope.ts; pass --out <your stack file>, or run init --from <your start script> first\n' });
  });

  it('reads the module type from the nearest package.json, as Node does', () => {
    const dir = folder({ type: 'module' });
    const sub = mkdtempSync(join(dir, 'sub-'));
    expect(moduleType(sub)).toBe('module');
    writeFileSync(join(sub, 'package.json'), '{}');
    expect(moduleType(sub)).toBe('commonjs');
  });
});
