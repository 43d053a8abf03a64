import { CliError, EXIT, type CliIO } from '../../util/io.js';
import { parseDuration } from '../../stack/units-plain.js';
import type { ProcessInfo } from '../../pm2/types.js';
import type { Stack } from '../../stack/types.js';
import { loadConfig } from '../shared/context.js';
import { redactorFor } from '../shared/redactor.js';
import type { Redact } from '../../util/redact.js';
import { logFiles, unknownServices, type LogFile } from './files.js';
import { followFiles } from './follow.js';
import { renderErrors, renderLogs } from './format.js';
import { readErrors, readLogs } from './read.js';

// `botstack logs`: flags checked, files found, then one of show / --errors / --follow.

interface Flags {
  readonly config: string;
  readonly errors?: boolean;
  readonly since?: string;
  readonly follow?: boolean;
  readonly lines?: string;
  readonly json?: boolean;
}

interface Parsed {
  readonly sinceMs?: number;
  readonly lines?: number;
}

export function parseLogFlags(f: Flags): Parsed {
  if (f.follow && (f.errors || f.json)) throw new CliError('--follow prints lines as they come; it cannot be combined with --errors or --json', EXIT.USAGE);
  const out: { sinceMs?: number; lines?: number } = {};
  if (f.since !== undefined) {
    const ms = parseDuration(f.since);
    if (ms === undefined || ms <= 0) throw new CliError(`--since "${f.since}" is not a duration; expected a number with ms, s, m or h, like 30m or 1h`, EXIT.USAGE);
    out.sinceMs = ms;
  }
  if (f.lines !== undefined) {
    if (!/^\d+$/.test(f.lines) || Number(f.lines) < 1) throw new CliError(`--lines "${f.lines}" is not a whole number of lines; expected 1 or more, like 50`, EXIT.USAGE);
    out.lines = Number(f.lines);
  }
  return out;
}

/** pm2's list when a daemon answers; null (and a note) when none does. Never spawns one. */
async function livePaths(io: CliIO): Promise<ProcessInfo[] | null> {
  const [{ daemonAnswers, pm2Home }, { DaemonLink }] = await Promise.all([import('../../pm2/client.js'), import('../../pm2/daemon-link.js')]);
  const home = pm2Home(io.env);
  if (!(await daemonAnswers(home))) {
    io.stderr.write(`note: pm2 is not running (PM2_HOME=${home}); using the stack's log paths\n`);
    return null;
  }
  // The daemon's sockets directly: pm2's client module is ~300 ms to load, for one list.
  const link = await DaemonLink.connect({ home, timeoutMs: 5000 });
  try {
    return await link.list();
  } finally {
    await link.disconnect();
  }
}

function pickFiles(stack: Stack, service: string | undefined, live: ProcessInfo[] | null, io: CliIO): LogFile[] {
  const names = service === undefined ? [] : [service];
  const unknown = unknownServices(stack, names);
  if (unknown.length > 0) throw new CliError(`no service "${unknown[0]}" in stack ${stack.name}; services: ${stack.services.map((s) => s.name).join(', ')}`, EXIT.USAGE);
  const { files, warnings } = logFiles(stack, names, live);
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  return [...files];
}

export async function runLogs(io: CliIO, service: string | undefined, flags: Flags): Promise<number> {
  const p = parseLogFlags(flags);
  const stack = await loadConfig(io, flags.config);
  const files = pickFiles(stack, service, await livePaths(io), io);
  // Every line shown, in every mode, passes the stack's redactor: services print their own secrets.
  const redact = await redactorFor(stack, io);
  const sinceMs = p.sinceMs === undefined ? undefined : Date.now() - p.sinceMs;
  const window = flags.since === undefined ? 'the whole log' : `the last ${flags.since}`;
  if (flags.errors) {
    const found = await readErrors(files, { recent: p.lines ?? 5, ...(sinceMs !== undefined ? { sinceMs } : {}), ...(io.signal ? { signal: io.signal } : {}) });
    const report = found.map((s) => ({ ...s, recent: s.recent.map((l) => ({ ...l, text: redact(l.text) })) }));
    io.stdout.write(flags.json ? JSON.stringify({ window, services: report }, null, 2) + '\n' : renderErrors(report, window));
    return report.some((s) => s.counts.total > 0) ? EXIT.FAIL : EXIT.OK;
  }
  const read = await readLogs(files, { lines: p.lines ?? (flags.follow ? 10 : 50), ...(sinceMs !== undefined ? { sinceMs } : {}) });
  const logs = read.map((s) => ({ ...s, lines: s.lines.map((l) => ({ ...l, text: redact(l.text) })) }));
  io.stdout.write(flags.json ? JSON.stringify({ window, services: logs }, null, 2) + '\n' : renderLogs(logs));
  if (flags.follow) await follow(io, files, redact);
  return EXIT.OK;
}

async function follow(io: CliIO, files: LogFile[], redact: Redact): Promise<void> {
  if (!io.signal) throw new CliError('--follow needs a way to stop (no abort signal was given)', EXIT.USAGE);
  await followFiles(files, { signal: io.signal, onLine: (f, text) => io.stdout.write(`${f.service}${f.stream === 'err' ? '!' : '|'} ${redact(text)}\n`) });
}
