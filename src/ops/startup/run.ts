import type { StartupPlan } from './plan.js';

// pm2's own CLI, run as a child with the plan's PM2_HOME and PATH. pm2's
// in-process save/resurrect use the dump path fixed when pm2 was first
// required (process.env.PM2_HOME then), not the client's home, so boot-related
// steps go through the same binary the unit will run.

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut?: boolean;
}

export type Runner = (file: string, args: readonly string[], opts: { readonly env: NodeJS.ProcessEnv; readonly timeoutMs: number }) => Promise<RunResult>;

export const execaRunner: Runner = async (file, args, opts) => {
  const { execa } = await import('execa');
  const r = await execa(file, [...args], { env: opts.env, extendEnv: false, timeout: opts.timeoutMs, reject: false, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), timedOut: r.timedOut };
};

export function pm2Cli(plan: StartupPlan, run: Runner, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return run(plan.nodeBin, [plan.pm2Bin, ...args], { env: plan.env, timeoutMs });
}

/** The last meaningful lines of a child's output, colour codes stripped, for an error message. */
export function tailText(r: RunResult, n = 3): string {
  // eslint-disable-next-line no-control-regex
  const lines = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(-n).join(' / ');
}
