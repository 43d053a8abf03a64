import { dirname, join } from 'node:path';
import { serviceDotenvOverride } from './checks/dotenv-override.js';
import { pipInShell, pipInStartLines } from './checks/pip-on-start.js';
import { cronInstalls, scheduledDeploys } from './checks/scheduled-deploys.js';
import { fillIns } from './checks/unresolved.js';
import { webhookApps, webhookUnits } from './checks/webhooks.js';
import { runScript } from './model/shell/run.js';
import type { Source } from './source/read.js';
import type { Finding, RuleContext } from './types.js';

// The rules that read more than the apps: the file's own text (a FILL IN left by
// init, pip in a start line), the script's every command (crontab installs, pip),
// and the files around it (the deploy script a unit runs, a service's own code).

export function fileRules(source: Source, ctx: RuleContext, abs: string): Finding[] {
  if (source.devFile) return [];
  const kind = source.kind;
  const out: Finding[] = [];
  if (source.format === 'botstack') out.push(...fillIns(source.text, ctx));
  if (kind === 'shell') {
    const { launches } = runScript(source.text, { script: abs });
    out.push(...pipInShell(launches, ctx, source.text), ...cronInstalls(source.text, launches, ctx, abs));
  } else if (source.format !== 'botstack') out.push(...pipInStartLines(source.text, ctx));
  if (kind === 'systemd' || kind === 'cron') out.push(...scheduledDeploys(source.text, kind, ctx, abs));
  if (kind === 'systemd') out.push(...webhookUnits(source.text, ctx, abs));
  else out.push(...webhookApps(ctx, abs));
  const root = source.stack?.root ?? dirname(abs);
  out.push(...serviceDotenvOverride(ctx, root, join(root, '.env')));
  return out;
}
