import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../cli/ops-cli.js';
import { FIXED_ENV, REPO } from './stacks.js';
import { k8sErrors, manifestObjects } from './validate.js';

// `botstack export`: where it writes, what it refuses, exit codes.

const config = join(REPO, 'ecosystem.config.ts');
const cwd = (): string => mkdtempSync(join(tmpdir(), 'botstack-export-cli-'));
const exp = (args: string[], dir = cwd()) => run(['export', '--config', config, ...args], { env: { ...FIXED_ENV }, cwd: dir });

describe('botstack export', () => {
  it('writes deploy/<target> by default and lists the next commands', async () => {
    const dir = cwd();
    const r = await exp(['k8s', '--namespace', 'bots'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('written   deploy/k8s/bot.yaml');
    expect(r.stdout).toContain("kubectl create secret generic telegram-bot-secrets --namespace bots --from-env-file=<(sed -E -e 's/^[[:space:]]*export[[:space:]]+//'");
    expect(r.stdout).toContain("/srv/telegram-bot/.env | grep -E '^(TELEGRAM_BOT_TOKEN)=') --dry-run=client -o yaml | kubectl apply -f -");
    expect(readFileSync(join(dir, 'deploy/k8s/bot.yaml'), 'utf8')).toContain('namespace: bots');
    const again = await exp(['k8s', '--namespace', 'bots'], dir);
    expect(again.stdout).toContain('unchanged deploy/k8s/bot.yaml');
  });

  it('never overwrites a differing file without --force, and writes nothing then', async () => {
    const dir = cwd();
    expect((await exp(['compose'], dir)).code).toBe(0);
    const file = join(dir, 'deploy/compose/compose.yaml');
    writeFileSync(file, '# my own edit\n');
    const refused = await exp(['compose'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file} already exists with other content; nothing written. Pass --force`);
    expect(readFileSync(file, 'utf8')).toBe('# my own edit\n');
    const forced = await exp(['compose', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('replaced  deploy/compose/compose.yaml');
  });

  it('--out naming a file is bad input, and nothing is written', async () => {
    const dir = cwd();
    writeFileSync(join(dir, 'afile'), 'mine\n');
    const r = await exp(['compose', '--out', 'afile/x'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`botstack: --out ${join(dir, 'afile/x')}: ${join(dir, 'afile')} is a file, not a folder; pass --out <folder>`);
    expect(readFileSync(join(dir, 'afile'), 'utf8')).toBe('mine\n');
  });

  it('--json gives files, warnings and next commands', async () => {
    const r = await exp(['compose', '--json', '--out', 'x']);
    const j = JSON.parse(r.stdout) as { target: string; files: { path: string; state: string }[]; next: string[] };
    expect(j.target).toBe('compose');
    expect(j.files.map((f) => f.path)).toEqual(['compose.yaml', '.env.example', 'Dockerfile', 'Dockerfile.dockerignore', 'monitor/Dockerfile', 'monitor/stack.json', 'monitor/botstack-monitor.mjs']);
    expect(j.next.at(-1)).toBe('docker compose -p telegram-bot -f x/compose.yaml up -d --build');
  });

  it('--no-monitor leaves the monitor container, its folder and its socket mount out', async () => {
    const r = await exp(['compose', '--json', '--no-monitor', '--out', 'y']);
    const j = JSON.parse(r.stdout) as { files: { path: string }[] };
    expect(j.files.map((f) => f.path)).toEqual(['compose.yaml', '.env.example', 'Dockerfile', 'Dockerfile.dockerignore']);
  });

  it('--out - prints one YAML stream that kubectl can apply, and says what it left out', async () => {
    const r = await exp(['k8s', '--out', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# ==> mongod.yaml <==\n/);
    expect(r.stdout).toContain('# ==> bot.yaml <==');
    const objects = manifestObjects(r.stdout);
    expect(objects).toHaveLength(11);
    for (const o of objects) expect(k8sErrors(o)).toEqual([]);
    expect(r.stderr).toContain('botstack: not printed (not YAML): Dockerfile, Dockerfile.dockerignore; --out <dir> writes them');
  });

  it.each([
    [['swarm'], 'unknown export target "swarm"; expected one of: compose, k8s'],
    [['k8s', '--image', 'nope=x:1'], '--image nope=x:1: no exported service named "nope"; the services are: mongod, api, web, bot'],
    [['k8s', '--image', 'api'], '--image api: expected <service>=<image>'],
    [['k8s', '--image', 'monitor=x:1'], '"monitor" is botstack\'s monitor, which is not exported'],
    [['k8s', '--config', 'nowhere.ts'], 'no stack file at'],
    [['k8s', '--image', 'api=Bad Image'], '"Bad Image" is not an image reference'],
    [['k8s', '--namespace', 'Bots_1'], '--namespace Bots_1: not a Kubernetes namespace name'],
    [['compose', '--namespace', 'bots'], '--namespace is for k8s'],
  ])('bad input %j exits 2 with a clear message', async (args, message) => {
    const r = await exp(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--image overrides one service and leaves the rest', async () => {
    const r = await exp(['k8s', '--out', '-', '--image', 'api=registry.example.com/shop/api:1.4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('image: registry.example.com/shop/api:1.4');
    expect(r.stdout).toContain('image: telegram-bot-app:latest');
  });
});
