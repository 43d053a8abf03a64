import { join } from 'node:path';
import { LOG_DATE_FORMAT } from './compile.js';
import type { Stack } from './types.js';
import { packageRoot } from '../util/package-root.js';

// A stack's `deploy: { every, ref }` as a pm2 app: `botstack deploy --scheduled`
// on pm2's cron, so it shows in `pm2 ls` and writes its own log files.
// - pm2 runs it once when it is registered (after `botstack start` has the stack
//   healthy: usually "up to date"). `autostart: false` cannot prevent that: pm2
//   7.0.4 then never starts the app, neither on `restart` nor on a cron tick.
//   A scheduled run onto an unhealthy stack (a boot, a resurrect) deploys nothing.
// - autorestart false: a deploy runs once per tick and exits; pm2 must not loop it.
// - `pm2 restart botstack-deploy` runs one now (pm2 starts a stopped app on restart).
// A tick that finds the last run still going makes pm2 stop and rerun it; the
// journal makes that safe, but `every` should be longer than a deploy takes.

export const DEPLOY_JOB = 'botstack-deploy';

/** Variables that locate the stack on disk: the job must resolve the same stack as the operator. */
const LOCATORS = ['BOTSTACK_ROOT', 'BOTSTACK_VENV', 'BOTSTACK_LOG_DIR', 'BOTSTACK_MONGOD', 'BOTSTACK_MONGO_DBPATH', 'BOTSTACK_ENV'] as const;

export interface DeployJobApp {
  readonly name: string;
  readonly namespace: string;
  readonly script: string;
  readonly interpreter: 'node';
  readonly args: readonly string[];
  readonly cwd: string;
  readonly exec_mode: 'fork';
  readonly instances: 1;
  readonly watch: false;
  readonly autorestart: false;
  readonly cron_restart: string;
  readonly kill_timeout: number;
  readonly out_file: string;
  readonly error_file: string;
  readonly merge_logs: true;
  readonly log_date_format: string;
  readonly env: Readonly<Record<string, string>>;
}

export function deployJobApp(stack: Stack, env: NodeJS.ProcessEnv = process.env): DeployJobApp | null {
  const d = stack.deploy;
  if (!d) return null;
  const located = Object.fromEntries(LOCATORS.flatMap((k) => (env[k] !== undefined ? [[k, env[k]]] : [])));
  return {
    name: DEPLOY_JOB,
    namespace: stack.name,
    script: join(packageRoot(), 'bin', 'botstack.js'),
    interpreter: 'node',
    args: ['deploy', '--config', stack.file, '--scheduled', ...(d.ref !== null ? ['--ref', d.ref] : [])],
    cwd: stack.root,
    exec_mode: 'fork',
    instances: 1,
    watch: false,
    autorestart: false,
    cron_restart: d.cron,
    // A deploy stopped mid-way is recovered by the next one; give it time to finish a restart first.
    kill_timeout: 60_000,
    out_file: join(stack.logDir, 'deploy.out.log'),
    error_file: join(stack.logDir, 'deploy.err.log'),
    merge_logs: true,
    log_date_format: LOG_DATE_FORMAT,
    env: { ...located, BOTSTACK_SERVICE: DEPLOY_JOB, BOTSTACK_STACK_NAME: stack.name },
  };
}
