import { line, EXIT, type CliIO } from '../cli/io.js';
import type { ProcessInfo } from '../pm2/types.js';
import { connectPm2, loadConfig } from './context.js';
import { preflight } from './preflight.js';
import { startPrinter, startSummary } from './render-start.js';
import { checkNames } from './select.js';
import { runStart, startSelection } from './start.js';

// `botstack start`: load, preflight (start nothing if it fails), then start in order.

async function runningList(io: CliIO): Promise<ProcessInfo[]> {
  const { daemonAnswers, pm2Home } = await import('../pm2/client.js');
  // No daemon means nothing runs; do not spawn one just to learn that.
  if (!(await daemonAnswers(pm2Home(io.env)))) return [];
  const client = await connectPm2(io, false);
  try {
    return await client.list();
  } finally {
    await client.disconnect();
  }
}

export async function startFlow(io: CliIO, config: string, names: readonly string[]): Promise<number> {
  const t0 = Date.now();
  const stack = await loadConfig(io, config);
  checkNames(stack, names);
  const services = startSelection(stack, names);
  const problems = await preflight(stack, services, await runningList(io), io.env);
  if (problems.length > 0) {
    line(io.stderr, `botstack: not starting ${stack.name}; preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
    problems.forEach((p) => line(io.stderr, `  ${p.replace(/\n/g, '\n  ')}`));
    line(io.stderr, 'nothing was started.');
    return EXIT.FAIL;
  }
  line(io.stdout, `starting ${stack.name} (${stack.profile}): ${services.map((s) => s.name).join(', ')}`);
  const width = Math.max(...services.map((s) => s.name.length));
  const client = await connectPm2(io, true);
  try {
    const r = await runStart(client, stack, services, { ...(io.signal ? { signal: io.signal } : {}), onEvent: startPrinter((l) => line(io.stdout, l), width) });
    line(r.ok ? io.stdout : io.stderr, startSummary(r, stack.name, Date.now() - t0));
    return r.ok ? EXIT.OK : EXIT.FAIL;
  } finally {
    await client.disconnect();
  }
}
