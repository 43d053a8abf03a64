import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { CliError, EXIT, line, type CliIO } from '../../util/io.js';
import { loadConfig } from '../shared/context.js';
import { ExportInputError } from '../../export/errors.js';
import { MONITOR_DIR } from '../../export/monitor.js';
import { monitorBundle } from '../../export/monitor-bundle.js';
import { exportStack } from '../../export/render.js';
import { TARGETS, type Target } from '../../export/types.js';
import { writeFiles, yamlToStream, type Written } from '../../export/write.js';

// `botstack export compose|k8s`: load the stack, render, write (or print),
// then say what was written, what to check by hand and what to run next.

export interface ExportCommandOptions {
  readonly config: string;
  readonly out?: string;
  readonly namespace?: string;
  readonly image: readonly string[];
  /** false: compose without botstack's monitor container (`--no-monitor`). */
  readonly monitor?: boolean;
  readonly force?: boolean;
  readonly json?: boolean;
}

const defaultOut = (target: Target): string => `deploy/${target}`;

export async function runExport(io: CliIO, target: string, opts: ExportCommandOptions): Promise<number> {
  if (!(TARGETS as readonly string[]).includes(target)) {
    throw new CliError(`unknown export target "${target}"; expected one of: ${TARGETS.join(', ')}`, EXIT.USAGE);
  }
  const t = target as Target;
  if (t === 'compose' && opts.namespace !== undefined) throw new CliError('--namespace is for k8s; Compose has no namespaces (its project name is the stack name)', EXIT.USAGE);
  const stack = await loadConfig(io, opts.config);
  const toStdout = opts.out === '-';
  const dir = resolve(io.cwd, opts.out !== undefined && !toStdout ? opts.out : defaultOut(t));
  const shown = toStdout ? '<dir>' : show(io.cwd, dir);
  try {
    const result = exportStack(stack, t, {
      ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
      images: opts.image,
      outDisplay: shown,
      ...(opts.monitor === false ? { monitor: false } : {}),
      ...(toStdout ? {} : { outDir: dir }),
      requirements: existsSync(join(stack.root, 'requirements.txt')),
    });
    // The monitor's code is bundled here, not in the pure render: it reads this botstack's own files.
    const files = !toStdout && result.files.some((f) => f.path.startsWith(`${MONITOR_DIR}/`)) ? [...result.files, await monitorBundle()] : result.files;
    const written: Written[] = toStdout ? [] : writeFiles(dir, files, opts.force === true);
    for (const w of result.warnings) line(io.stderr, `botstack: warning: ${w}`);
    if (opts.json) {
      io.stdout.write(JSON.stringify({ target: t, out: toStdout ? '-' : dir, files: toStdout ? result.files : written, warnings: result.warnings, next: result.next }, null, 2) + '\n');
    } else if (toStdout) {
      const stream = yamlToStream(result.files);
      io.stdout.write(stream.text);
      if (stream.leftOut.length > 0) line(io.stderr, `botstack: not printed (not YAML): ${stream.leftOut.join(', ')}; --out <dir> writes them`);
    } else {
      for (const w of written) line(io.stdout, `${w.state.padEnd(9)} ${shown}/${w.path}`);
      line(io.stdout, '\nNext:');
      for (const n of result.next) line(io.stdout, `  ${n}`);
    }
    return EXIT.OK;
  } catch (err) {
    if (err instanceof ExportInputError) throw new CliError(err.message, EXIT.USAGE);
    throw err;
  }
}

function show(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}
