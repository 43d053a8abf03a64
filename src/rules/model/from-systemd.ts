import { basename } from 'node:path';
import { parseDuration } from '../../stack/units-plain.js';
import type { App, Pull } from '../types.js';
import { appFromLaunch, VENV_MENTIONED } from './from-shell.js';
import { isVenvPath } from './command.js';
import { pm2Memory } from './from-pm2.js';
import { joinedLines } from './joined-lines.js';
import { freshState, runScript } from './shell/run.js';
import { shellLine } from './shell/line.js';

// A systemd service unit -> the app its ExecStart runs, with systemd's own
// policy: Restart= and RestartSec= (default: no restart; 100 ms), MemoryMax=
// (MemoryLimit= on old systemd), TimeoutStopSec= (default 90 s), Environment=,
// WorkingDirectory=, StandardOutput= (default: the journal). A Type=oneshot unit
// (what a timer usually runs) is a job, not a service; its git pulls still count.

export interface UnitRead {
  readonly apps: App[];
  readonly pulls: Pull[];
  /** The text with `Environment=` prefixes blanked, so the secret scan sees each KEY=value. */
  readonly secretText: string;
}

interface Entry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

function entries(text: string): Entry[] {
  const out: Entry[] = [];
  let section = '';
  for (const { line, text: joined } of joinedLines(text)) {
    const t = joined.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(t);
    if (s) section = s[1] ?? '';
    else if (section === 'Service') {
      const eq = t.indexOf('=');
      if (eq > 0) out.push({ key: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim(), line });
    }
  }
  return out;
}

/** Environment="A=1" "B=two words" C=3 */
function environment(values: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of values) {
    for (const m of v.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
      const item = m[1] ?? m[2] ?? m[3] ?? '';
      const eq = item.indexOf('=');
      if (eq > 0) env[item.slice(0, eq)] = item.slice(eq + 1);
    }
  }
  return env;
}

/** systemd time spans: "90", "5s", "1min 30s", "500ms", "infinity". */
function span(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (/^infinity$/i.test(v)) return Number.MAX_SAFE_INTEGER;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const total = [...v.matchAll(/(\d+(?:\.\d+)?)\s*(ms|msec|s|sec|m|min|h|hr)?/g)].reduce((ms, m) => {
    const n = Number(m[1]);
    const unit = m[2] ?? 's';
    return ms + n * ({ ms: 1, msec: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000 }[unit] ?? 1000);
  }, 0);
  return total > 0 ? total : (parseDuration(v) ?? dflt);
}

const EXEC_PREFIX = /^[-@:+!]+/;

function logTarget(v: string | undefined, unit: string): string {
  if (v === undefined || /^(journal|kmsg|syslog|inherit|journal\+console|syslog\+console|kmsg\+console)$/.test(v)) return `journal:${unit}`;
  if (v === 'null') return '/dev/null';
  const f = /^(file|append|truncate):(.+)$/.exec(v);
  return f ? (f[2] ?? v) : `journal:${unit}`;
}

export function readUnit(text: string, file: string): UnitRead {
  const es = entries(text);
  const last = (k: string): string | undefined => es.filter((e) => e.key === k).pop()?.value;
  const unit = basename(file).replace(/\.(service|timer|socket)$/, '');
  const env = environment(es.filter((e) => e.key === 'Environment').map((e) => e.value));
  const pulls: Pull[] = [];
  for (const e of es.filter((x) => /^Exec(Start|StartPre|StartPost|Reload)$/.test(x.key))) {
    for (const p of runScript(e.value.replace(EXEC_PREFIX, ''), { line: e.line }).pulls) pulls.push({ ...p, via: 'systemd' });
  }
  const secretText = text.replace(/^(\s*Environment\s*=)/gm, (m) => ' '.repeat(m.length));
  const start = es.filter((e) => e.key === 'ExecStart' && e.value !== '').pop();
  if (!start || /^oneshot$/.test(last('Type') ?? '')) return { apps: [], pulls, secretText };
  const vars = new Map(Object.entries(env).map(([k, v]) => [k, [v]] as const));
  // Environment="PATH=/opt/bot/venv/bin:..." makes a bare `python` the venv's.
  const venv = (env.PATH ?? '').split(':').some((p) => isVenvPath(`${p}/python`));
  const state = { ...freshState(), vars, exported: { ...env }, venv, cwd: last('WorkingDirectory')?.replace(EXEC_PREFIX, '') ?? null };
  const line = shellLine(start.value.replace(EXEC_PREFIX, ''), { line: start.line, state });
  if (!line) return { apps: [], pulls, secretText };
  const app = appFromLaunch(line.launch, VENV_MENTIONED.test(text), 'systemd');
  const restart = last('Restart') ?? 'no';
  const burst = Number(last('StartLimitBurst') ?? '5');
  const interval = span(last('StartLimitIntervalSec') ?? last('StartLimitInterval'), 10_000);
  const memory = last('MemoryMax') ?? last('MemoryLimit');
  return {
    apps: [
      {
        ...app,
        name: unit,
        ref: `ExecStart (line ${start.line})`,
        env: { ...env, ...app.env },
        memoryBytes: memory !== undefined && !/^infinity$/i.test(memory) ? pm2Memory(memory) : app.memoryBytes,
        // systemd's start limit (5 starts in 10 s by default) stops a crash loop; 0 turns it off.
        restart: restart === 'no' ? null : { autorestart: true, maxRestarts: interval === 0 || burst === 0 ? Number.POSITIVE_INFINITY : burst, minUptimeMs: interval, backoffMs: null, delayMs: span(last('RestartSec'), 100) },
        killTimeoutMs: span(last('TimeoutStopSec') ?? last('TimeoutSec'), 90_000),
        logs: { out: logTarget(last('StandardOutput'), unit), err: logTarget(last('StandardError') ?? last('StandardOutput'), unit) },
      },
    ],
    pulls,
    secretText,
  };
}
