import { CliError, line, EXIT, type CliIO } from '../../util/io.js';
import type { Pm2Client } from '../../pm2/client.js';
import { connectPm2, loadConfig } from '../shared/context.js';
import { preflight } from '../shared/preflight.js';
import { startPrinter, startSummary } from './render.js';
import { checkNames } from '../shared/select.js';
import { runStart, startSelection } from './run.js';

// `botstack start`: load, preflight (start nothing if it fails), then start in order.

/** A client when a daemon already answers (kept for the start), else null: nothing runs yet. */
async function existingDaemon(io: CliIO): Promise<Pm2Client | null> {
  const { daemonAnswers, pm2Home } = await import('../../pm2/client.js');
  // No daemon means nothing runs; do not spawn one before preflight passes.
  return (await daemonAnswers(pm2Home(io.env))) ? connectPm2(io, false) : null;
}

export async function startFlow(io: CliIO, config: string, names: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const stack = await loadConfig(io, config);
  checkNames(stack, names);
  const services = startSelection(stack, names);
  let client = await existingDaemon(io);
  try {
    const problems = await preflight(stack, services, client ? await client.list() : [], io.env);
    if (problems.length > 0) return refuse(io, stack.name, problems);
    line(io.stdout, `starting ${stack.name} (${stack.profile}): ${services.map((s) => s.name).join(', ')}`);
    client ??= await connectPm2(io, true);
    const width = Math.max(...services.map((s) => s.name.length));
    const r = await runStart(client, stack, services, { ...(io.signal ? { signal: io.signal } : {}), onEvent: startPrinter((l) => line(io.stdout, l), width) }).catch((err: unknown) => {
      if (!io.signal?.aborted) throw err;
      throw new CliError('start interrupted; what already started keeps running (botstack status shows it, botstack stop stops it)', EXIT.FAIL);
    });
    line(r.ok ? io.stdout : io.stderr, startSummary(r, stack.name, performance.now() - t0));
    // Healing is the product: a stack that opted out of the monitor hears it on every start.
    if (!stack.services.some((s) => s.kind === 'monitor')) line(io.stderr, `botstack: warning: ${stack.name} runs without the health monitor (monitor: false): a service that hangs will not be healed; remove monitor: false to have one`);
    const job = r.ok && stack.deploy ? await (await import('../deploy/job.js')).ensureDeployJob(client, stack, io.env) : null;
    if (job) line(io.stdout, job);
    return r.ok ? EXIT.OK : EXIT.FAIL;
  } finally {
    await client?.disconnect();
  }
}

function refuse(io: CliIO, stackName: string, problems: readonly string[]): number {
  line(io.stderr, `botstack: not starting ${stackName}; preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  problems.forEach((p) => line(io.stderr, `  ${p.replace(/\n/g, '\n  ')}`));
  line(io.stderr, 'nothing was started.');
  return EXIT.FAIL;
}
