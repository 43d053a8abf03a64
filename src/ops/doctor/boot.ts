import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { compareDump, describeDifference, dumpFile, dumpInfo, readDump } from '../startup/dump.js';
import { fail, ok, warn, type SyncCheck, type CheckResult } from './types.js';

// Boot: is a unit installed, does dump.pm2 match what runs, and what did
// `pm2 save` write into it (it stores each app's whole environment).

export const bootUnit: SyncCheck = (ctx) => {
  const user = ctx.env.SUDO_USER ?? ctx.env.USER ?? ctx.env.LOGNAME ?? userInfo().username;
  const names = user ? [`pm2-${user}.service`] : [];
  const found = names.map((n) => join(ctx.unitDir, n)).find((f) => existsSync(f));
  if (found) return [ok('boot', `boot unit installed: ${found}`)];
  return [warn('boot', `no pm2 boot unit in ${ctx.unitDir} (looked for pm2-${user}.service); after a reboot nothing starts`, 'sudo env PATH="$PATH" botstack startup')];
};

export const savedList: SyncCheck = (ctx) => {
  const dump = readDump(ctx.pm2Home);
  if (!dump.ok) return [warn('dump', `${dump.message}; a reboot would bring back nothing`, 'botstack startup (runs pm2 save and verifies it)')];
  if (ctx.live === null) return [ok('dump', `${dumpFile(ctx.pm2Home)} holds ${dump.apps.length} apps (pm2 not running: not compared)`)];
  const diffs = compareDump(dump.apps.map(dumpInfo), ctx.live);
  if (diffs.length === 0) return [ok('dump', `${dumpFile(ctx.pm2Home)} matches the ${ctx.live.length} running apps`)];
  return [warn('dump', `saved list differs from what runs: ${diffs.slice(0, 4).map(describeDifference).join('; ')}${diffs.length > 4 ? `; and ${diffs.length - 4} more` : ''}`, `PM2_HOME=${ctx.pm2Home} npx pm2 save (or botstack startup)`)];
};

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|CREDENTIAL/i;

/** Names (never values) of secret-looking variables pm2 save wrote into dump.pm2. */
export const dumpSecrets: SyncCheck = (ctx) => {
  const dump = readDump(ctx.pm2Home);
  if (!dump.ok) return [];
  const declared = new Set(ctx.stack.services.flatMap((s) => s.secrets));
  const found: string[] = [];
  for (const app of dump.apps) {
    const keys = new Set([...Object.keys(app), ...Object.keys((app.env ?? {}) as object)]);
    const hits = [...keys].filter((k) => declared.has(k) || SECRET_NAME.test(k));
    if (hits.length > 0) found.push(`${app.name}: ${hits.sort().join(', ')}`);
  }
  const out: CheckResult[] = [];
  if (found.length > 0) {
    out.push(warn('dump-secrets', `pm2 save stored secret-looking variables in ${dumpFile(ctx.pm2Home)} (${found.join('; ')})`, `keep secrets only in ${ctx.stack.envFile}, unset them in the shell that runs pm2, then botstack startup again`));
  } else out.push(ok('dump-secrets', `no secret-looking variables in ${dumpFile(ctx.pm2Home)}`));
  const mode = statSync(dumpFile(ctx.pm2Home)).mode & 0o777;
  if (mode & 0o077) out.push(warn('dump-mode', `${dumpFile(ctx.pm2Home)} is mode ${mode.toString(8)}; other users can read every app's environment`, `chmod 600 ${dumpFile(ctx.pm2Home)}`));
  return out;
};
