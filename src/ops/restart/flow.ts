import { EXIT, line, type CliIO } from '../../util/io.js';
import { connectPm2, loadConfig } from '../shared/context.js';
import { fmtSeconds } from '../../util/format.js';
import { downDependencies, runRestart } from './run.js';
import { checkNames } from '../shared/select.js';

// `botstack restart <service>`: refuse when a dependency is down (unless --force),
// restart through pm2, wait until healthy.

export async function restartFlow(io: CliIO, config: string, name: string, force: boolean): Promise<number> {
  const stack = await loadConfig(io, config);
  checkNames(stack, [name]);
  const s = stack.services.find((x) => x.name === name)!;
  const client = await connectPm2(io, false);
  try {
    const down = force ? [] : await downDependencies(client, stack, s);
    if (down.length > 0) {
      line(io.stderr, `botstack: refusing to restart ${name}: ${down.join('; ')}.`);
      line(io.stderr, `it would only fail without them; start them first (botstack start ${name}), or pass --force`);
      return EXIT.FAIL;
    }
    line(io.stdout, `restarting ${name}...`);
    const r = await runRestart(client, stack, s, io.signal);
    const pids = `${r.rolled ? 'uvicorn pid' : 'pid'} ${r.oldPid > 0 ? r.oldPid : '-'} -> ${r.newPid > 0 ? r.newPid : '-'}${r.rolled ? ', rolling: the port stayed open' : ''}`;
    if (r.readiness.ok) {
      line(io.stdout, `${name} restarted: healthy in ${fmtSeconds(r.readiness.ms)} (${pids})`);
      return EXIT.OK;
    }
    if (r.oldServing) line(io.stderr, `${name} NOT restarted after ${fmtSeconds(r.readiness.ms)}: ${r.readiness.reason}`);
    else line(io.stderr, `${name} restarted but NOT healthy after ${fmtSeconds(r.readiness.ms)}: ${r.readiness.reason} (${pids})`);
    if (r.logs.length > 0) line(io.stderr, `  last log lines of ${name}:\n${r.logs.join('\n')}`);
    line(io.stderr, `next: botstack logs ${name} --errors`);
    return EXIT.FAIL;
  } finally {
    await client.disconnect();
  }
}
