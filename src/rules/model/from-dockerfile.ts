import type { App } from '../types.js';
import { isVenvPath } from './command.js';
import { appFromLaunch, readShell, VENV_MENTIONED } from './from-shell.js';
import { joinedLines } from './joined-lines.js';
import { shellLine } from './shell/line.js';
import { freshState } from './shell/run.js';
import { splitWords } from './words.js';

// A Dockerfile -> the one app its final stage runs: ENTRYPOINT + CMD, in exec
// form (a JSON array) or shell form (run by /bin/sh -c), with the stage's ENV
// and WORKDIR. An entrypoint that is a wrapper script or an init (tini,
// dumb-init, docker-entrypoint.sh, which end in `exec "$@"`) runs CMD, so CMD is
// the service. RUN lines happen at build time and start nothing.

interface Instr {
  readonly op: string;
  readonly arg: string;
  readonly line: number;
}

function instructions(text: string): Instr[] {
  return joinedLines(text, { drop: /^\s*#/ }).flatMap(({ line, text: t }) => {
    const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(t);
    return m ? [{ op: (m[1] ?? '').toUpperCase(), arg: (m[2] ?? '').trim(), line }] : [];
  });
}

/** ["a", "b"] -> words; anything else is shell form. */
function execForm(arg: string): string[] | null {
  if (!arg.startsWith('[')) return null;
  try {
    const v = JSON.parse(arg) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

function envPairs(arg: string): [string, string][] {
  if (!arg.includes('=') || /^\S+\s+[^=]*$/.test(arg)) {
    const [k, ...v] = arg.split(/\s+/);
    return k ? [[k, v.join(' ')]] : [];
  }
  return splitWords(arg).flatMap((w) => {
    const eq = w.indexOf('=');
    return eq > 0 ? [[w.slice(0, eq), w.slice(eq + 1)] as [string, string]] : [];
  });
}

const WRAPPER_ENTRY = /(^|\/)(tini|dumb-init|docker-entrypoint(\.sh)?|entrypoint(\.sh)?|[\w-]*entrypoint[\w-]*\.sh|start\.sh|gosu)$/;

export function readDockerfile(text: string): App[] {
  const all = instructions(text);
  const lastFrom = all.map((x) => x.op).lastIndexOf('FROM');
  const stage = all.slice(Math.max(0, lastFrom));
  const env: Record<string, string> = {};
  let workdir: string | null = null;
  for (const x of stage) {
    if (x.op === 'ENV') for (const [k, v] of envPairs(x.arg)) env[k] = v.replace(/^["']|["']$/g, '');
    if (x.op === 'WORKDIR') workdir = x.arg;
  }
  const cmd = stage.filter((x) => x.op === 'CMD').pop();
  const entry = stage.filter((x) => x.op === 'ENTRYPOINT').pop();
  const entryWords = entry ? execForm(entry.arg) : null;
  const useCmd = cmd !== undefined && (!entry || (entryWords !== null && WRAPPER_ENTRY.test(entryWords[0] ?? '')) || entryWords?.[entryWords.length - 1] === '--');
  const source = useCmd ? cmd : (entry ?? cmd);
  if (!source) return [];
  const words = execForm(source.arg);
  const cmdWords = cmd ? execForm(cmd.arg) : null;
  const joined = words ? [...words, ...(source === entry && cmdWords ? cmdWords : [])].map((w) => (/[\s'"$]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ') : source.arg;
  const vars = new Map(Object.entries(env).map(([k, v]) => [k, [v]] as const));
  const venvPath = (env.PATH ?? '').split(':').some((p) => isVenvPath(`${p}/python`));
  const state = { ...freshState(), vars, exported: { ...env }, cwd: workdir, venv: venvPath || Boolean(env.VIRTUAL_ENV) };
  // `bash -c "python3 bot.py & uvicorn app:app"` runs two services in one container.
  const apps = readShell(joined, { line: source.line, state, origin: 'dockerfile' }).apps;
  const found = apps.length > 0 ? apps : [shellLine(joined, { line: source.line, state })].flatMap((l) => (l ? [appFromLaunch(l.launch, false, 'dockerfile')] : []));
  const venvMentioned = VENV_MENTIONED.test(text);
  const ref = `${source.op} (line ${source.line})`;
  // A `pm2-runtime start app.js` stays a pm2 app (pm2 keeps its logs, its limits apply).
  return found.map((app) =>
    app.format === 'pm2' ? { ...app, ref } : { ...app, venvExpected: venvMentioned, ref, env: { ...env, ...app.env }, logs: { out: `docker:${app.name}`, err: `docker:${app.name}` } },
  );
}
