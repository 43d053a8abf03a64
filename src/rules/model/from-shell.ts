import { basename, isAbsolute, resolve } from 'node:path';
import type { App } from '../types.js';
import { describeCommand, isVenvPath } from './command.js';
import { shellCommands, type ShellCommand } from './shell-commands.js';

// A start script like the incident's start_all_services.sh -> the services it
// launches. A service is a known server program (uvicorn, python, node, mongod,
// ...) that outlives its line: backgrounded with `&`, nohup'd, exec'd or
// daemonised. Foreground one-off commands (migrations, pip) are not services.

const SERVERS = /^(uvicorn|gunicorn|hypercorn|daphne|celery|flask|python[\d.]*|node|nodejs|npm|npx|nodemon|mongod|redis-server|postgres|postmaster|pg_ctl|mysqld|mysqld_safe|mariadbd)$/;

interface State {
  cwd: string | null;
  venv: boolean;
  memoryBytes: number | null;
  readonly vars: Record<string, string>;
  readonly exported: Record<string, string>;
}

const expand = (w: string, vars: Readonly<Record<string, string>>): string =>
  w.replace(/\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (m, a?: string, dflt?: string, b?: string) => vars[a ?? b ?? ''] ?? dflt ?? m);

/** Updates the script's state for builtins; true when the command was one. */
function builtin(c: ShellCommand, words: readonly string[], s: State): boolean {
  const [cmd, arg] = words;
  if (cmd === undefined) {
    Object.assign(s.vars, c.env); // a bare `VAR=value` line
    return true;
  }
  if (cmd === 'cd' && arg !== undefined) s.cwd = s.cwd && !isAbsolute(arg) ? resolve(s.cwd, arg) : arg;
  else if ((cmd === 'source' || cmd === '.') && arg !== undefined && /activate$/.test(arg)) s.venv = true;
  else if (cmd === 'deactivate') s.venv = false;
  else if (cmd === 'export') {
    for (const w of words.slice(1)) {
      const [k, ...v] = w.split('=');
      if (k && v.length > 0) s.vars[k] = s.exported[k] = v.join('=');
      else if (k && s.vars[k] !== undefined) s.exported[k] = s.vars[k] ?? '';
    }
  } else if (cmd === 'ulimit') {
    const kb = words.slice(1).find((w) => /^\d+$/.test(w));
    if (kb && words.some((w) => /^-[SH]?[vm]$/.test(w))) s.memoryBytes = Number(kb) * 1024;
  } else return false;
  return true;
}

function isService(c: ShellCommand, words: readonly string[]): boolean {
  if (!SERVERS.test(basename(words[0] ?? ''))) return false;
  const daemonises = words.includes('--fork') || words.includes('--daemon') || (words.includes('--daemonize') && words.includes('yes')) || (basename(words[0] ?? '') === 'pg_ctl' && words.includes('start'));
  return c.background || c.nohup || c.exec || daemonises;
}

/** The name an operator would recognise: the ASGI app, the script, the module, the program. */
function serviceName(words: readonly string[], program: string): string {
  const spec = words.slice(1).find((w) => /^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/.test(w));
  if (spec) return spec;
  const script = words.find((w) => /\.(py|js|mjs|cjs)$/.test(w));
  return script ?? program;
}

function toApp(c: ShellCommand, words: readonly string[], s: State, venvMentioned: boolean): App {
  const f = describeCommand(words);
  const x = (w: string | null): string | null => (w === null ? null : expand(w, s.vars));
  const env = { ...s.exported, ...Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, expand(v, s.vars)])) };
  const logpath = words.includes('--logpath') ? (words[words.indexOf('--logpath') + 1] ?? null) : null;
  const out = logpath ?? x(c.out);
  return {
    name: serviceName(words, f.program),
    format: 'shell',
    ref: `line ${c.line}`,
    index: null,
    argv: words,
    interpreter: f.isPython ? (words[0] ?? null) : null,
    cwd: s.cwd,
    env,
    watch: false,
    memoryBytes: s.memoryBytes,
    restart: null,
    killTimeoutMs: null,
    host: f.host ?? f.defaultHost,
    port: f.port ?? f.defaultPort,
    database: f.database,
    isPython: f.isPython,
    inVenv: s.venv || isVenvPath(words[0] ?? '') || Boolean(env.VIRTUAL_ENV),
    venvExpected: venvMentioned,
    unbuffered: f.pythonUnbuffered || Boolean(env.PYTHONUNBUFFERED),
    logs: { out, err: logpath ?? x(c.err) },
    line: c.line,
  };
}

export function appsFromShell(text: string): App[] {
  const state: State = { cwd: null, venv: false, memoryBytes: null, vars: {}, exported: {} };
  const venvMentioned = /(^|[\s/'"])\.?venv\b|virtualenv|VIRTUAL_ENV/.test(text);
  const apps: App[] = [];
  for (const c of shellCommands(text)) {
    const words = c.words.map((w) => expand(w, state.vars));
    if (builtin(c, words, state)) continue;
    if (isService(c, words)) apps.push(toApp(c, words, state, venvMentioned));
  }
  return apps;
}
