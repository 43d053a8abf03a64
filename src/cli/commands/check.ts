import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Finding } from '../../rules/types.js';
import { EXIT, type CliIO } from '../io.js';
import type { SetExit } from '../program.js';

// `botstack check [files...]`: the production rules over botstack stacks, pm2
// ecosystem files and shell start scripts. Exit 0 clean (info and warnings
// allowed), 1 on any error finding, 2 when a file cannot be read or parsed.

interface CheckOptions {
  readonly json?: boolean;
  readonly config?: string;
}

/** Paths inside the cwd are shown relative to it, so output is the same on every machine. */
function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

export async function runCheck(files: readonly string[], opts: CheckOptions, io: CliIO): Promise<number> {
  // Loaded here, not at the top: every other command would pay ~60 ms for the rules.
  const [{ checkFile }, { formatHuman, formatJson }] = await Promise.all([import('../../rules/check-file.js'), import('../../rules/report.js')]);
  const targets = files.length > 0 || opts.config ? [...files, ...(opts.config ? [opts.config] : [])] : ['ecosystem.config.ts'];
  const findings: Finding[] = [];
  let unreadable = 0;
  for (const target of targets) {
    const abs = resolve(io.cwd, target);
    const r = await checkFile(abs, display(io.cwd, abs), io.env);
    if (r.ok) findings.push(...r.findings);
    else {
      unreadable += 1;
      for (const e of r.errors) io.stderr.write(`botstack: ${e}\n`);
    }
  }
  const read = targets.length - unreadable;
  if (opts.json) io.stdout.write(formatJson(findings));
  else if (read > 0) io.stdout.write(formatHuman(findings, read));
  if (unreadable > 0) return EXIT.USAGE;
  return findings.some((f) => f.severity === 'error') ? EXIT.FAIL : EXIT.OK;
}

export function registerCheck(program: Command, io: CliIO, setExit: SetExit): void {
  program
    .command('check')
    .description('lint a botstack stack, a pm2 ecosystem file (.js/.cjs/.json/.yml) or a shell start script against the production rules')
    .argument('[files...]', 'files to check (default: --config, or ./ecosystem.config.ts)')
    .option('--json', 'print {"findings":[...]} instead of text')
    .option('--config <file>', 'the stack file to check when no files are given', undefined)
    .action(async (files: string[], opts: CheckOptions) => {
      setExit(await runCheck(files, opts, io));
    });
}
