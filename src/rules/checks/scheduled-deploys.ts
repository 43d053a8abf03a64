import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Launch } from '../model/shell/run.js';
import type { Finding, RuleContext } from '../types.js';

// Unattended deploys in the forms real repos use, beyond a `git pull` in the
// file itself: a setup script that installs a crontab line running a deploy
// script (`(crontab -l; echo …) | crontab -`, `>> /etc/crontab`, a heredoc into
// /etc/cron.d/x), a unit or crontab line that runs a deploy script which pulls,
// and a webhook receiver that runs one on every push (webhooks.ts). Each names the line
// that installs or runs it, and points to `botstack deploy`.

const FIX = 'deploy with `botstack deploy` (pull, check, health-gated restart, rollback) run by a person, or schedule it with the stack\'s deploy.every, which holds the monitor and restarts one service at a time; remove the unattended entry';
const PULL_TEXT = /\bgit\s+(?:-C\s+\S+\s+)?(pull\b|reset\s+--hard\b|fetch\b[^\n]*&&[^\n]*\b(reset|merge|checkout)\b)/;
const DEPLOY_NAME = /deploy|update|upgrade|pull|sync|redeploy|autoupdate/i;
const WEBHOOK = /webhook|hook[-_]?(receiver|listener|server)|git[-_]?hook|github[-_]?hook/i;
const CRON_ENTRY = /^\s*(@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)|([\d*/,-]+)(\s+[\d*/,?LW#a-zA-Z-]+){4})\s+(.+)$/;

/** A script a command runs, found beside the checked file (or a folder or two up): repos keep deploy scripts near their units. */
export function findNear(fileAbs: string, scriptPath: string): string | null {
  const name = basename(scriptPath);
  let dir = dirname(fileAbs);
  for (let i = 0; i < 3; i++) {
    for (const cand of [join(dir, name), join(dir, 'scripts', name), join(dir, 'deploy', name)]) if (cand !== fileAbs && existsSync(cand)) return cand;
    dir = dirname(dir);
  }
  return null;
}

/** The line in a script that pulls, if it does. */
function pullIn(file: string): { line: number; text: string } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const i = lines.findIndex((l) => !/^\s*#/.test(l) && PULL_TEXT.test(l));
  return i >= 0 ? { line: i + 1, text: (lines[i] ?? '').trim() } : null;
}

/** The scripts a command line runs (`/opt/app/deploy-vps.sh`, `bash deploy.sh`, `cd /x && ./update.sh`). */
const scriptsIn = (command: string): string[] => [...command.matchAll(/(?:^|[\s;&|'"=])((?:[~.$\w{}/@+%-]*\/)?[\w.@+-]+\.(?:sh|bash|py))\b/g)].map((m) => m[1] ?? '');

interface Evidence {
  readonly what: string;
  readonly certain: boolean;
}

/** Whether a command deploys unattended: it pulls itself, or runs a script (found here) that pulls, or a script named for it. */
export function deploysBy(command: string, fileAbs: string): Evidence | null {
  if (PULL_TEXT.test(command)) return { what: 'pulls with git', certain: true };
  for (const s of scriptsIn(command)) {
    const near = findNear(fileAbs, s);
    const pull = near ? pullIn(near) : null;
    if (pull) return { what: `runs ${basename(s)}, which runs \`${pull.text}\` (${basename(s)} line ${pull.line})`, certain: true };
    if (!near && DEPLOY_NAME.test(basename(s))) return { what: `runs ${basename(s)}`, certain: false };
  }
  // `./git.sh /data pull`, `php artisan deploy:projects`, `docker compose pull`: the command says what it does.
  const word = /(?:^|\s)(pull|deploy(?::[\w-]+)?|redeploy)(?=\s|$|;|&)/.exec(command);
  if (word) return { what: `runs \`${command.split(/\s*(?:>>?|2>)/)[0]?.trim() ?? command}\`, which by its own words (${word[1]}) pulls or deploys`, certain: false };
  return null;
}

const finding = (ctx: RuleContext, line: number, message: string): Finding => ({ rule: 'auto-pull', severity: ctx.profile === 'development' ? 'info' : 'warning', file: ctx.file, line, service: null, message, fix: FIX });

/** Lines of the heredoc a command on `line` opens, up to its delimiter. */
function heredocBody(lines: readonly string[], line: number): string[] {
  const open = /<<-?\s*(['"]?)([A-Za-z_][\w.-]*)\1/.exec(lines[line - 1] ?? '');
  if (!open) return [];
  const end = lines.findIndex((l, i) => i >= line && l.trim() === open[2]);
  return lines.slice(line, end < 0 ? undefined : end);
}

const isCronTarget = (path: string | null): boolean => path !== null && /^(\/etc\/crontab|\/etc\/cron\.(d|hourly|daily|weekly|monthly)\/|\/var\/spool\/cron)/.test(path);
const installsCrontab = (l: Launch): boolean => basename(l.argv[0] ?? '') === 'crontab' && !l.argv.slice(1).some((w) => /^-[lre]$/.test(w));

/** Crontab lines a shell script installs, with the line that installs each. */
export function installedCronEntries(text: string, launches: readonly Launch[]): { line: number; entry: string }[] {
  const lines = text.split('\n');
  const out: { line: number; entry: string }[] = [];
  const byLine = new Map<number, Launch[]>();
  for (const l of launches) byLine.set(l.ownLine, [...(byLine.get(l.ownLine) ?? []), l]);
  for (const [line, ls] of byLine) {
    const target = ls.find((l) => installsCrontab(l) || isCronTarget(l.out) || (basename(l.argv[0] ?? '') === 'tee' && l.argv.some((w) => isCronTarget(w))));
    if (!target) continue;
    const echoed = ls.filter((l) => /^(echo|printf)$/.test(l.argv[0] ?? '')).flatMap((l) => l.argv.slice(1).filter((w) => !w.startsWith('-')));
    // `crontab deploy.cron`: a file of entries beside the script.
    const file = installsCrontab(target) ? target.argv.slice(1).find((w) => w !== '-' && !w.startsWith('-')) : undefined;
    const entries = [...echoed.flatMap((e) => e.split(/\\n|\n/)), ...heredocBody(lines, line), ...(file ? [file] : [])];
    for (const e of entries) if (CRON_ENTRY.test(e) || e === file) out.push({ line, entry: e.trim() });
  }
  return out;
}

/** A shell script that installs crontab entries which deploy. */
export function cronInstalls(text: string, launches: readonly Launch[], ctx: RuleContext, fileAbs: string): Finding[] {
  return installedCronEntries(text, launches).flatMap(({ line, entry }) => {
    const command = CRON_ENTRY.exec(entry)?.[5] ?? entry;
    const ev = deploysBy(command, fileAbs);
    if (!ev) return [];
    const schedule = entry.slice(0, entry.length - command.length).trim();
    return [finding(ctx, line, `this line installs the crontab entry \`${entry}\`: cron then ${ev.what}${schedule ? ` on the schedule "${schedule}"` : ''}, on the serving host, with nobody watching; the code on disk changes under the running services`)];
  });
}

/** A unit or crontab whose command runs a deploy script that pulls (webhook receivers: webhooks.ts). */
export function scheduledDeploys(text: string, kind: 'systemd' | 'cron', ctx: RuleContext, fileAbs: string): Finding[] {
  const out: Finding[] = [];
  const unitName = basename(fileAbs);
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    const command = kind === 'systemd' ? /^Exec(Start|StartPre|StartPost|Reload)=[-@+!:]*(.*)$/.exec(line)?.[2] : CRON_ENTRY.exec(line)?.[5];
    if (command === undefined || PULL_TEXT.test(command)) continue; // a pull in the line itself is auto-pull's already
    if (kind === 'systemd' && (WEBHOOK.test(unitName) || WEBHOOK.test(command))) continue; // webhooks.ts reads the receiver's code
    const ev = deploysBy(command, fileAbs);
    if (ev?.certain) out.push(finding(ctx, i + 1, `${kind === 'cron' ? 'cron' : `this unit${/\.service$/.test(unitName) ? ' (and the timer or path unit that starts it)' : ''}`} ${ev.what}, on the serving host, with nobody watching`));
  }
  return out;
}
