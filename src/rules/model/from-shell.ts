import type { App, Origin, Pull } from '../types.js';
import { describeCommand, isVenvPath } from './command.js';
import { appFromPm2 } from './from-pm2.js';
import { normalisePm2Apps } from './pm2-normalise.js';
import { pm2StartApp } from './shell/pm2-cli.js';
import { isService } from './shell/services.js';
import { runScript, type Launch, type RunOptions } from './shell/run.js';

// A start script like the incident's start_all_services.sh -> the services it
// launches (shell/run.ts walks it as bash would; shell/services.ts decides which
// launches are services), plus every `pm2 start` line as a pm2 app.

export interface ShellRead {
  readonly apps: App[];
  readonly pulls: Pull[];
}

/** The name an operator would recognise: the ASGI app, the script, the module, the program. */
function serviceName(argv: readonly string[], program: string): string {
  const spec = argv.slice(1).find((w) => /^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/.test(w));
  if (spec) return spec;
  const script = argv.find((w) => /\.(py|js|mjs|cjs|ts)$/.test(w));
  return script ?? program;
}

function restartOf(l: Launch): App['restart'] {
  if (l.loop === null) return null;
  // A `while true` loop restarts forever; its sleep is the only delay.
  return { autorestart: true, maxRestarts: Number.POSITIVE_INFINITY, minUptimeMs: 0, backoffMs: null, delayMs: l.loop.sleepMs };
}

/**
 * A foreground service writes to whatever ran the script: systemd's journal,
 * docker's log, a terminal. check cannot tell which, so it does not guess; a
 * detached one without a redirect writes nowhere anyone keeps (or nohup.out).
 */
function logsOf(l: Launch, logpath: string | null, supervises: boolean): App['logs'] {
  if (logpath !== null) return { out: logpath, err: logpath };
  // A plain `&` child of a script that `wait`s for it (an entrypoint) writes where the script does.
  const detached = l.nohup || l.detached || (l.background && !supervises);
  const inherited = `(the script's own output, line ${l.line})`;
  return { out: l.out ?? (detached ? null : inherited), err: l.err ?? (detached ? null : l.out ?? inherited) };
}

export function appFromLaunch(l: Launch, venvMentioned: boolean, origin?: Origin, supervises = false): App {
  const argv = l.argv;
  const f = describeCommand(argv);
  const logpath = argv.includes('--logpath') ? (argv[argv.indexOf('--logpath') + 1] ?? null) : null;
  const venvPython = isVenvPath(l.venvArgv0) || /(^|\/)\.?venv\//.test(l.venvArgv0);
  return {
    name: serviceName(argv, f.program),
    format: 'shell',
    ref: `line ${l.line}`,
    index: null,
    argv,
    interpreter: f.isPython ? (argv[0] ?? null) : null,
    cwd: l.cwd,
    env: l.env,
    watch: false,
    memoryBytes: l.memoryBytes,
    restart: restartOf(l),
    killTimeoutMs: null,
    host: f.host ?? (l.env.HOST || null) ?? f.defaultHost,
    port: f.port ?? (l.env.PORT && /^\d+$/.test(l.env.PORT) ? Number(l.env.PORT) : f.defaultPort),
    database: f.database,
    isPython: f.isPython,
    inVenv: l.venv || isVenvPath(argv[0] ?? '') || venvPython || Boolean(l.env.VIRTUAL_ENV),
    venvExpected: venvMentioned,
    // In a screen/tmux window stdout is a terminal, and Python line-buffers a terminal.
    unbuffered: f.pythonUnbuffered || Boolean(l.env.PYTHONUNBUFFERED) || (l.tty && l.out === null),
    logs: logsOf(l, logpath, supervises),
    line: l.line,
    ...(Object.keys(l.choices).length > 0 ? { choices: l.choices } : {}),
    ...(origin ? { origin } : {}),
    ...(l.venvDir !== undefined ? { venvDir: l.venvDir } : {}),
  };
}

/** A `pm2 start` line as the pm2 app it creates; null when it starts an ecosystem file. */
function pm2App(l: Launch): App | null {
  const { app } = pm2StartApp(l.pm2 ?? []);
  if (app === null) return null;
  const [normalised] = normalisePm2Apps([app]).apps;
  if (!normalised || typeof normalised.script !== 'string') return null;
  if (l.cwd !== null && normalised.cwd === undefined) normalised.cwd = l.cwd;
  const a = appFromPm2(normalised, 0, l.line);
  const inVenv = a.inVenv || (a.isPython && (l.venv || isVenvPath(a.interpreter ?? '')));
  // pm2 start hands the app the calling shell's environment.
  const unbuffered = a.unbuffered || Boolean(l.env.PYTHONUNBUFFERED);
  return { ...a, ref: `line ${l.line}`, origin: 'pm2-cli', inVenv, unbuffered, env: { ...l.env, ...a.env }, ...(Object.keys(l.choices).length > 0 ? { choices: l.choices } : {}) };
}

export const VENV_MENTIONED = /(^|[\s/'"=])\.?venv\b|virtualenv|VIRTUAL_ENV|poetry run|pipenv run/;

/** Every service a script starts, and its unattended pulls. */
export function readShell(text: string, opts: RunOptions & { origin?: Origin; via?: Pull['via']; foreground?: boolean } = {}): ShellRead {
  const run = runScript(text, opts);
  const venvMentioned = VENV_MENTIONED.test(text);
  const apps: App[] = [];
  // A `dev)` arm of a case is for a laptop, not the server: what it starts is not checked.
  const services = run.launches.filter((l) => l.pm2 === undefined && !l.dev && isService(l, run.launches, opts.foreground ?? true));
  const supervises = run.launches.some((l) => l.argv[0] === 'wait' && !l.background);
  // A function called from several places (start, restart) starts one service: keep its first call.
  const seen = new Set<string>();
  for (const l of run.launches) {
    const key = `${l.ownLine}|${l.argv.join(' ')}`;
    if (l.ownLine !== l.line && seen.has(key)) continue;
    seen.add(key);
    if (l.pm2 !== undefined && !l.dev) {
      const a = pm2App(l);
      if (a) apps.push(a);
    } else if (services.includes(l)) apps.push(appFromLaunch(l, venvMentioned, opts.origin, supervises));
  }
  return { apps: dropRepeats(apps), pulls: run.pulls.map((p) => ({ ...p, via: opts.via ?? 'script' })) };
}

/** A function called twice with the same command, or a loop body, yields one app per line and command. */
function dropRepeats(apps: App[]): App[] {
  const seen = new Set<string>();
  return apps.filter((a) => {
    const key = `${a.line}|${a.argv.join(' ')}|${JSON.stringify(a.choices ?? {})}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Kept for callers of the old reader: the apps of a shell script. */
export function appsFromShell(text: string): App[] {
  return readShell(text).apps;
}
