import { CliError, EXIT, type CliIO } from '../../util/io.js';
import { parseDuration } from '../../stack/units.js';
import { loadConfig, withPm2 } from '../shared/context.js';
import { progressLine, renderSoak, soakJson } from './format.js';
import { soakPassed } from './summary.js';
import { soak } from './run.js';
import { collectStatus } from '../status/collect.js';

// `botstack soak`: flags, then sample status with a progress line, then the verdict.

export interface SoakFlags {
  readonly config: string;
  readonly duration: string;
  readonly interval: string;
  readonly json?: boolean;
}

function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new CliError(`${flag} "${text}" is not a duration; expected a number with ms, s, m or h, like 10s or 1h`, EXIT.USAGE);
  return ms;
}

export async function runSoak(io: CliIO, flags: SoakFlags): Promise<number> {
  const durationMs = durationFlag('--duration', flags.duration);
  const intervalMs = durationFlag('--interval', flags.interval);
  if (intervalMs > durationMs) throw new CliError(`--interval ${flags.interval} is longer than --duration ${flags.duration}; take at least two samples`, EXIT.USAGE);
  const stack = await loadConfig(io, flags.config);
  // Progress goes to stderr so stdout holds only the summary (or its JSON).
  const progress = io.stderr;
  const result = await withPm2(io, false, (client) =>
    soak((signal) => collectStatus(client, stack, signal ? { signal } : {}), {
      durationMs,
      intervalMs,
      ...(io.signal ? { signal: io.signal } : {}),
      onSample: (state, elapsed) => {
        const text = progressLine(state, elapsed, durationMs);
        progress.write(io.isTTY ? `\r\x1b[K${text}` : `${text}\n`);
      },
    }),
  );
  if (io.isTTY) progress.write('\n');
  io.stdout.write(flags.json ? JSON.stringify(soakJson(result, durationMs, intervalMs), null, 2) + '\n' : renderSoak(result, intervalMs));
  return soakPassed(result.state) && !result.cancelled ? EXIT.OK : EXIT.FAIL;
}
