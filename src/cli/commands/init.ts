import type { Command } from 'commander';
import { basename, relative } from 'node:path';
import type { EntryWrite } from '../../init/pm2-entry.js';
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
  readonly entry?: boolean;
}

export async function runInitCommand(flags: InitFlags, io: CliIO): Promise<number> {
  if (flags.entry) return runEntryOnly(flags.out, io);
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
  for (const l of entryLines(r.entry, io.cwd)) line(io.stdout, l);
  if (r.plan.secrets.length > 0) line(io.stdout, `put these keys in <root>/.env (mode 600); no value was copied: ${r.plan.secrets.join(', ')}`);
  const guesses = s.filter((x) => x.dependsOn.some((d) => d.guess)).map((x) => x.name);
  if (guesses.length > 0) line(io.stdout, `check the guessed dependsOn of ${guesses.join(', ')} (from the start order)`);
  line(io.stdout, 'next: botstack check && botstack start   (at boot: sudo botstack startup)');
  return EXIT.OK;
}

/** --entry: only pm2's entry files, for a stack already there (after botstack moved: an upgrade under another Node). */
async function runEntryOnly(out: string, io: CliIO): Promise<number> {
  const { existsSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const { writeUserEntry } = await import('../../init/pm2-entry.js');
  const { packageRoot } = await import('../../util/package-root.js');
  const file = resolve(io.cwd, out);
  if (!existsSync(file)) {
    line(io.stderr, `botstack: no stack at ${out}; pass --out <your stack file>, or run init --from <your start script> first`);
    return EXIT.USAGE;
  }
  const lines = entryLines(writeUserEntry(file, packageRoot()), io.cwd);
  for (const l of lines) line(io.stdout, l);
  return EXIT.OK;
}

function entryLines(entry: EntryWrite | undefined, cwd: string): string[] {
  if (!entry) return [];
  const show = (f: string): string => (relative(cwd, f).startsWith('..') ? f : `./${relative(cwd, f)}`);
  const out: string[] = [];
  if (entry.written.length > 0) out.push(`wrote ${entry.written.map(show).join(', ')}: pm2's entry for it (pm2 start ${basename(entry.written.at(-1)!)})`);
  if (entry.kept.length > 0) out.push(`kept ${entry.kept.map(show).join(', ')}: not written by botstack; pm2 start it only if it is the stack you want, botstack start runs the new one`);
  return out;
}

export function registerInit(program: Command, io: CliIO, setExit: SetExit): void {
  program
    .command('init')
    .description('write a typed stack (ecosystem.config.ts) from the start script, pm2 file, unit or Procfile already in use')
    .option('--from <files...>', 'the files that start the services today (required, except with --entry)')
    .option('--out <file>', 'where to write the stack', './ecosystem.config.ts')
    .option('--force', 'replace --out if it exists')
    .option('--dry-run', 'print the stack to stdout and write nothing')
    .option('--json', 'print the plan (services, kinds, ports, secret key names) as JSON')
    .option('--entry', "only (re)write pm2's entry (ecosystem.config.cjs, .js) for --out, pointing at this botstack")
    .addHelpText('after', HELP)
    .action(async (flags: InitFlags) => {
      setExit(await runInitCommand(flags, io));
    });
}
