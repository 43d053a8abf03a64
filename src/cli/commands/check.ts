import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Finding } from '../../rules/types.js';
import { CliError, EXIT, type CliIO, type SetExit } from '../../util/io.js';

// `botstack check [files...]`: the production rules over botstack stacks, pm2
// ecosystem files, shell start scripts, systemd units, crontabs, Procfiles,
// Dockerfiles and compose files. Every file is checked; one exit code for all:
// 0 clean (info and warnings allowed), 1 on any error finding, 2 when a file
// cannot be read or pm2 would refuse it (the other files are still reported).

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

interface CheckOptions {
  readonly json?: boolean;
  readonly format?: string;
  readonly config?: string;
}

/** Paths inside the cwd are shown relative to it, so output is the same on every machine. */
function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

function formatOf(opts: CheckOptions): Format {
  if (opts.format === undefined) return opts.json ? 'json' : 'text';
  if (!(FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format ${opts.format}: expected one of ${FORMATS.join(', ')}`);
  if (opts.json && opts.format !== 'json') throw new CliError(`--json and --format ${opts.format} disagree; pass one of them`);
  return opts.format as Format;
}

export async function runCheck(files: readonly string[], opts: CheckOptions, io: CliIO): Promise<number> {
  const format = formatOf(opts);
  // Loaded here, not at the top: every other command would pay for the rules.
  const { checkFile } = await import('../../rules/check-file.js');
  const targets = files.length > 0 || opts.config ? [...files, ...(opts.config ? [opts.config] : [])] : ['ecosystem.config.ts'];
  const findings: Finding[] = [];
  const unreadable: { file: string; message: string }[] = [];
  for (const target of targets) {
    const abs = resolve(io.cwd, target);
    const shown = display(io.cwd, abs);
    const r = await checkFile(abs, shown, io.env);
    if (r.ok) findings.push(...r.findings);
    else {
      for (const e of r.errors) {
        io.stderr.write(`botstack: ${e}\n`);
        unreadable.push({ file: shown, message: e.startsWith(`${shown}: `) ? e.slice(shown.length + 2) : e });
      }
    }
  }
  const read = targets.length - new Set(unreadable.map((u) => u.file)).size;
  await write(format, findings, unreadable, read, io);
  if (unreadable.length > 0) return EXIT.USAGE;
  return findings.some((f) => f.severity === 'error') ? EXIT.FAIL : EXIT.OK;
}

async function write(format: Format, findings: readonly Finding[], unreadable: readonly { file: string; message: string }[], read: number, io: CliIO): Promise<void> {
  if (format === 'text' || format === 'json') {
    const { formatHuman, formatJson } = await import('../../rules/report.js');
    if (format === 'json') io.stdout.write(formatJson(findings));
    else if (read > 0) io.stdout.write(formatHuman(findings, read));
    return;
  }
  const { formatGithub, formatSarif } = await import('../../rules/report-ci.js');
  io.stdout.write(format === 'sarif' ? formatSarif(findings, unreadable, '0.1.0') : formatGithub(findings, unreadable));
}

export function registerCheck(program: Command, io: CliIO, setExit: SetExit): void {
  program
    .command('check')
    .description('lint start files against the production rules: a botstack stack, pm2 ecosystems (.config.js/.cjs/.mjs/.json/.yml), shell scripts, systemd units, crontabs, Procfiles, Dockerfiles, docker-compose.yml, supervisord programs')
    .argument('[files...]', 'files to check (default: --config, or ./ecosystem.config.ts); one exit code for all')
    .option('--format <format>', `output: ${FORMATS.join(', ')} (sarif 2.1.0 for GitHub code scanning, github for workflow annotations)`)
    .option('--json', 'print {"findings":[...]} instead of text (= --format json)')
    .option('--config <file>', 'the stack file to check when no files are given', undefined)
    .action(async (files: string[], opts: CheckOptions) => {
      setExit(await runCheck(files, opts, io));
    });
}
