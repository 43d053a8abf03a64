import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { App, Finding, RuleContext } from '../types.js';
import { findNear } from './scheduled-deploys.js';
import { codeFiles } from '../../util/code-files.js';

// A webhook receiver that deploys: every push to the repo changes the code under
// the running services, with nobody watching. A name is not enough: Telegram
// bots run "in webhook mode" all the time. So the receiver's own code (its
// script, the files beside it) must show the deploy: a git pull or hard reset,
// a `'pull'` handed to git, or a deploy script it runs.

const WEBHOOK = /webhook|hook[-_]?(receiver|listener|server)|git[-_]?hook|github[-_]?hook/i;
const DEPLOYS = /\bgit\b[^\n]{0,60}\b(pull|reset\s+--hard)\b|\bGIT\b[^\n]{0,20}['"`]pull['"`]|\b[\w-]*deploy[\w.-]*\.sh\b/;
const FIX = 'deploy with `botstack deploy` (pull, check, health-gated restart, rollback) when a person decides; if the push must trigger it, have the receiver run `botstack deploy` and nothing else, so checks and rollback still hold';
const scriptsIn = (command: string): string[] => [...command.matchAll(/(?:^|[\s;&|'"=])((?:[~.$\w{}/@+%-]*\/)?[\w.@+-]+\.(?:sh|bash|py|js|mjs|cjs))\b/g)].map((m) => m[1] ?? '');

const sources = (dir: string): string[] =>
  codeFiles(dir, { want: (n) => /\.(py|js|mjs|cjs|sh)$/.test(n) || n === 'bin', skip: /^(node_modules|venv|\.venv|\.git|tests?|site-packages)$/, maxDepth: 2, max: 61 });

/** The first file of the receiver's code that deploys, relative to `base`. */
function deployingFile(files: readonly string[], base: string): string | null {
  for (const f of files) {
    try {
      if (statSync(f).isFile() && DEPLOYS.test(readFileSync(f, 'utf8'))) return relative(base, f) || basename(f);
    } catch {
      /* unreadable */
    }
  }
  return null;
}

const finding = (ctx: RuleContext, line: number | null, service: string | null, what: string, file: string): Finding => ({
  rule: 'auto-pull',
  severity: ctx.profile === 'development' ? 'info' : 'warning',
  file: ctx.file,
  line,
  service,
  message: `${what} is a webhook receiver that deploys (${file}): every push to the repo changes the code on the serving host by itself, with nobody watching`,
  fix: FIX,
});

/** systemd: a unit (by its name or command) running a receiver whose code deploys. */
export function webhookUnits(text: string, ctx: RuleContext, fileAbs: string): Finding[] {
  const unit = basename(fileAbs);
  return text.split('\n').flatMap((raw, i) => {
    const command = /^\s*ExecStart=[-@+!:]*(.*)$/.exec(raw)?.[1];
    if (command === undefined || !(WEBHOOK.test(unit) || WEBHOOK.test(command))) return [];
    const near = scriptsIn(command).map((s) => findNear(fileAbs, s)).filter((p): p is string => p !== null);
    const file = deployingFile([...near, ...near.flatMap((p) => sources(dirname(p)))], dirname(fileAbs));
    return file ? [finding(ctx, i + 1, null, `this unit (${unit})`, file)] : [];
  });
}

/** pm2 apps, scripts, compose services: a receiver app whose own code deploys. */
export function webhookApps(ctx: RuleContext, fileAbs: string): Finding[] {
  const here = dirname(fileAbs);
  return ctx.apps.flatMap((app: App) => {
    if (app.origin === 'systemd' || !(WEBHOOK.test(app.name) || app.argv.some((w) => WEBHOOK.test(w)))) return [];
    const cwd = app.cwd !== null && isAbsolute(app.cwd) && existsSync(app.cwd) ? app.cwd : app.cwd !== null && !/[`$]/.test(app.cwd) ? resolve(here, app.cwd) : here;
    const script = app.script ?? app.argv.find((w) => /\.(py|js|mjs|cjs|sh)$/.test(w) || w.includes('/'));
    const path = script !== undefined ? (isAbsolute(script) ? script : resolve(cwd, script)) : null;
    const files = path !== null && existsSync(path) ? [path, ...sources(dirname(path))] : sources(cwd);
    const file = deployingFile(files, here);
    return file ? [finding(ctx, app.line, app.name, app.name, file)] : [];
  });
}
