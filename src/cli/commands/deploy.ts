import { Option, type Command } from 'commander';
import { CliError, EXIT, type CliIO, type SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Pulls the new commit and restarts only the services whose files changed, one at a
time in dependency order, each gated on its health. On the first failure the
checkout goes back and the services already restarted are restarted on it.
Refuses, changing nothing: local changes, a ref that is not a fast-forward
(without --force), a stack file that fails check at the new commit, another deploy
running. Every deploy is one line in <logDir>/deploy.jsonl.

Exit codes:
  0  deployed, or already up to date (nothing restarted)
  1  refused, or a service did not come up (rolled back unless --no-rollback)
  2  bad arguments, a stack file that does not load, not a git checkout, an unknown
     ref, a fetch that failed, or no pm2 daemon`;

interface Opts {
  config: string;
  ref?: string;
  dryRun?: boolean;
  json?: boolean;
  rollback: boolean;
  force?: boolean;
  healthTimeout?: string;
  scheduled?: boolean;
}

export function registerDeploy(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'deploy', 'pull, restart what changed in dependency order gated on health, roll back on failure', HELP)
    .option('--ref <ref>', "what to deploy (default: the current branch's upstream, e.g. origin/main)")
    .option('--dry-run', 'print the plan (commits, changed files, services, order) and change nothing')
    .option('--json', 'print the deploy record (or the plan) as JSON')
    .option('--no-rollback', 'on a failure, leave the new commit and the services as they are')
    .option('--force', 'deploy a ref that is not a fast-forward of HEAD')
    .option('--health-timeout <duration>', "how long each restart may take to be healthy (default: the service's start grace)")
    .addOption(new Option('--scheduled', 'run by the scheduled deploy job').hideHelp())
    .action(async (opts: Opts) => {
      const { parseDuration } = await import('../../stack/units.js');
      const timeout = opts.healthTimeout === undefined ? undefined : parseDuration(opts.healthTimeout);
      if (opts.healthTimeout !== undefined && (timeout === undefined || timeout <= 0)) {
        throw new CliError(`--health-timeout ${JSON.stringify(opts.healthTimeout)}: expected a duration like "60s" or "2m"`, EXIT.USAGE);
      }
      const { deployFlow } = await import('../../ops/deploy/run.js');
      setExit(
        await deployFlow(io, {
          config: opts.config,
          ...(opts.ref !== undefined ? { ref: opts.ref } : {}),
          dryRun: opts.dryRun === true,
          json: opts.json === true,
          rollback: opts.rollback,
          force: opts.force === true,
          scheduled: opts.scheduled === true,
          ...(timeout !== undefined ? { healthTimeoutMs: timeout } : {}),
        }),
      );
    });
}
