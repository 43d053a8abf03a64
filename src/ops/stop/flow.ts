import { EXIT, line, type CliIO } from '../../util/io.js';
import { connectPm2, loadConfig } from '../shared/context.js';
import { stopLine, stopSummary } from './render.js';
import { checkNames } from '../shared/select.js';
import { runStop, stopGroups } from './run.js';

// `botstack stop`: dependents first, each within its stop timeout.

export async function stopFlow(io: CliIO, config: string, names: readonly string[]): Promise<number> {
  const stack = await loadConfig(io, config);
  checkNames(stack, names);
  const { daemonAnswers, pm2Home } = await import('../../pm2/client.js');
  if (!(await daemonAnswers(pm2Home(io.env)))) {
    line(io.stdout, `nothing to stop: no pm2 daemon runs at PM2_HOME=${pm2Home(io.env)}`);
    return EXIT.OK;
  }
  const groups = stopGroups(stack, names);
  line(io.stdout, `stopping ${stack.name}: ${groups.map((g) => g.map((s) => s.name).join(', ')).join(' -> ')}`);
  const width = Math.max(...groups.flat().map((s) => s.name.length));
  const client = await connectPm2(io, false);
  try {
    const outcomes = await runStop(client, groups, (o) => line(io.stdout, stopLine(o, width)));
    line(io.stdout, stopSummary(outcomes, stack.name));
    return outcomes.some((o) => o.result === 'error' || (o.result === 'stopped' && o.killed)) ? EXIT.FAIL : EXIT.OK;
  } finally {
    await client.disconnect();
  }
}
