import type { Command } from 'commander';
import { EXIT, line, type CliIO, type SetExit } from '../../util/io.js';

// `botstack init --from <file>… [--out <path>] [--force] [--dry-run] [--json]`:
// a typed stack from the start script, pm2 file, unit or Procfile already in use.
// Exit 0 written (or printed), 2 unreadable input, no services, or a file in the way.

const HELP = `
Reads the files with check's readers and writes one service per process they
start: mongod, uvicorn module:app, python and node scripts, anything else as a
command. Reload flags are dropped, services bind 127.0.0.1, secrets become key
names for <root>/.env (no value is written or printed). See docs/init.md.

Exit codes:
  0  the stack was written (or printed with --dry-run / --json)
  2  an input cannot be read, no service was found, or --out exists (use --force)`;

interface InitFlags {
  readonly from?: string[];
  readonly out: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

export async function runInitCommand(flags: InitFlags, io: CliIO): Promise<number> {
  const { planInit, runInit } = await import('../../init/run.js');
  const opts = { from: flags.from ?? [], out: flags.out, force: flags.force === true, cwd: io.cwd, env: io.env };
  const r = flags.dryRun ? await planInit(opts) : await runInit(opts);
  if (!r.ok) {
    for (const e of r.errors) line(io.stderr, `botstack: ${e}`);
    return EXIT.USAGE;
  }
  if (flags.json) {
    io.stdout.write(JSON.stringify({ out: r.out, written: !flags.dryRun, ...r.plan }, null, 2) + '\n');
    return EXIT.OK;
  }
  if (flags.dryRun) {
    io.stdout.write(r.text);
    return EXIT.OK;
  }
  const s = r.plan.services;
  line(io.stdout, `found ${s.length} service${s.length === 1 ? '' : 's'} in ${opts.from.join(', ')}: ${s.map((x) => `${x.name} (${x.kind}${x.port !== null ? ` :${x.port}` : ''})`).join(', ')}`);
  line(io.stdout, `wrote ${flags.out}`);
  if (r.plan.secrets.length > 0) line(io.stdout, `put these keys in <root>/.env (mode 600); no value was copied: ${r.plan.secrets.join(', ')}`);
  const guesses = s.filter((x) => x.dependsOn.some((d) => d.guess)).map((x) => x.name);
  if (guesses.length > 0) line(io.stdout, `check the guessed dependsOn of ${guesses.join(', ')} (from the start order)`);
  line(io.stdout, 'next: npx botstack check && npx botstack start');
  return EXIT.OK;
}

export function registerInit(program: Command, io: CliIO, setExit: SetExit): void {
  program
    .command('init')
    .description('write a typed stack (ecosystem.config.ts) from the start script, pm2 file, unit or Procfile already in use')
    .requiredOption('--from <files...>', 'the files that start the services today')
    .option('--out <file>', 'where to write the stack', './ecosystem.config.ts')
    .option('--force', 'replace --out if it exists')
    .option('--dry-run', 'print the stack to stdout and write nothing')
    .option('--json', 'print the plan (services, kinds, ports, secret key names) as JSON')
    .addHelpText('after', HELP)
    .action(async (flags: InitFlags) => {
      setExit(await runInitCommand(flags, io));
    });
}
