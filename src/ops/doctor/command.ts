import { EXIT, type CliIO } from '../../util/io.js';
import type { ProcessInfo } from '../../pm2/types.js';
import { loadConfig } from '../shared/context.js';
import { redactorFor } from '../shared/redactor.js';
import { renderDoctor, runChecks } from './checks.js';
import { execaRunner, type Runner } from '../startup/run.js';

// `botstack doctor`: gather once (stack, pm2's list if a daemon answers), run
// every check, print one line each. Never starts a pm2 daemon.

export interface DoctorFlags {
  readonly config: string;
  readonly json?: boolean;
}

export interface DoctorDeps {
  readonly unitDir?: string;
  readonly logrotateDir?: string;
  readonly run?: Runner;
}

async function liveList(home: string): Promise<ProcessInfo[] | null> {
  const { Pm2Client, daemonAnswers } = await import('../../pm2/client.js');
  if (!(await daemonAnswers(home))) return null;
  const client = await Pm2Client.connect({ home, spawnDaemon: false, timeoutMs: 5000 });
  try {
    return await client.list();
  } finally {
    await client.disconnect();
  }
}

export async function runDoctor(io: CliIO, flags: DoctorFlags, deps: DoctorDeps = {}): Promise<number> {
  const stack = await loadConfig(io, flags.config);
  const { pm2Home } = await import('../../pm2/client.js');
  const home = pm2Home(io.env);
  const live = await liveList(home).catch(() => null);
  const found = await runChecks({ stack, env: io.env, pm2Home: home, live, unitDir: deps.unitDir ?? '/etc/systemd/system', run: deps.run ?? execaRunner, nodeVersion: process.version, ...(deps.logrotateDir ? { logrotateDir: deps.logrotateDir } : {}) });
  // Checks quote probe reasons, log lines and pm2's records: redacted like every text botstack shows.
  const redact = await redactorFor(stack, io);
  const results = found.map((r) => ({ ...r, message: redact(r.message), ...(r.fix !== undefined ? { fix: redact(r.fix) } : {}) }));
  const failed = results.some((r) => r.level === 'fail');
  io.stdout.write(flags.json ? JSON.stringify({ ok: !failed, checks: results }, null, 2) + '\n' : renderDoctor(results));
  return failed ? EXIT.FAIL : EXIT.OK;
}
