import { statSync } from 'node:fs';
import { fail, ok, warn, type SyncCheck, type CheckResult } from './types.js';

// What runs, as pm2 runs it: mongod's bind address, and any watch or --reload
// left on anywhere in pm2's list (the incident's cause). And the .env mode.

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function bindIps(args: readonly string[]): string[] | 'all' | null {
  if (args.includes('--bind_ip_all')) return 'all';
  const i = args.indexOf('--bind_ip');
  const v = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--bind_ip='))?.slice(10);
  return v === undefined ? null : v.split(',').map((x) => x.trim());
}

export const mongodLoopback: SyncCheck = (ctx) => {
  const out: CheckResult[] = [];
  for (const s of ctx.stack.services.filter((x) => x.kind === 'mongod')) {
    if (!LOOPBACK.test(s.host)) out.push(fail('mongod', `${s.name}.host is ${s.host}: MongoDB would listen beyond this machine`, `set ${s.name}.host to 127.0.0.1 (the default), then botstack restart ${s.name}`));
    const proc = ctx.live?.find((p) => p.name === s.name);
    if (!proc) {
      if (LOOPBACK.test(s.host)) out.push(ok('mongod', `${s.name}.host is ${s.host} (not running: live args not checked)`));
      continue;
    }
    const ips = bindIps(proc.args);
    if (ips === 'all' || (ips !== null && ips.some((ip) => !LOOPBACK.test(ip)))) {
      out.push(fail('mongod', `${s.name} runs with ${ips === 'all' ? '--bind_ip_all' : `--bind_ip ${ips.join(',')}`}: reachable from the network`, `botstack restart ${s.name} (the stack passes --bind_ip ${s.host})`));
    } else if (LOOPBACK.test(s.host)) out.push(ok('mongod', `${s.name} is bound to ${ips ? ips.join(',') : 'mongod\'s default (localhost)'}`));
  }
  return out;
};

export const watchOrReload: SyncCheck = (ctx) => {
  if (ctx.live === null) return [];
  const out: CheckResult[] = [];
  for (const p of ctx.live) {
    const reload = p.args.includes('--reload') || (p.interpreter ?? '').includes('--reload');
    if (p.watch) out.push(fail('watch', `${p.name} runs with pm2 watch on: every git pull restarts it`, `botstack restart ${p.name} (the stack sets watch: false); or pm2 restart ${p.name} --no-watch`));
    if (reload) out.push(fail('reload', `${p.name} runs with --reload: a file change restarts it (the incident's 25-minute crash)`, `remove --reload from ${p.name}'s args, then botstack restart ${p.name}`));
  }
  return out.length > 0 ? out : [ok('watch', `no watch or --reload in pm2's ${ctx.live.length} apps`)];
};

export const envFile: SyncCheck = (ctx) => {
  const file = ctx.stack.envFile;
  const needs = ctx.stack.services.some((s) => s.secrets.length > 0);
  let st;
  try {
    st = statSync(file);
  } catch {
    return needs ? [fail('env', `${file} does not exist, and services declare secrets`, `create it with the secrets (KEY=value lines), then chmod 600 ${file}`)] : [];
  }
  const mode = st.mode & 0o777;
  const uid = process.getuid?.();
  if (mode & 0o077) return [fail('env', `${file} is mode ${mode.toString(8)}: other users can read the secrets`, `chmod 600 ${file}`)];
  if (uid !== undefined && st.uid !== uid && uid !== 0) return [warn('env', `${file} belongs to uid ${st.uid}, not to this user (uid ${uid})`, `chown $(id -un) ${file}`)];
  return [ok('env', `${file} is readable only by its owner (mode ${mode.toString(8)})`)];
};
