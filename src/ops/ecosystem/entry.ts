import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { compileStack, type Pm2App } from '../../stack/compile.js';
import { profileFromArgv, stackExport } from '../../stack/load.js';
import { fromInput } from '../../rules/stack-load.js';
import { checkFiles } from '../../stack/files.js';
import { hookOwnPackageForRequire } from '../../stack/own-package.js';
import { formatProblem } from '../../stack/problems.js';
import { deployJobApp } from '../../stack/deploy-job.js';

export class InvalidStackError extends Error {
  readonly code = 'BOTSTACK_INVALID_STACK';
}

/**
 * What ecosystem.config.cjs hands to pm2. pm2 loads config synchronously, so this
 * is the sync twin of loadStack (the .cjs registers tsx first). On any problem it
 * prints every one of them and throws, so pm2 starts nothing at all.
 */
export function appsFromFile(file: string, argv: readonly string[] = process.argv): Pm2App[] {
  const input = stackExport(requireStack(file));
  const profile = profileFromArgv(argv);
  const result = fromInput(input, file, profile ? { profile } : {});
  const problems = result.ok ? checkFiles(result.stack) : result.problems;
  if (!result.ok || problems.length > 0) {
    const text = problems.map(formatProblem).join('\n');
    process.stderr.write(`\nbotstack: ${problems.length} problem(s) in ${file}; nothing was started.\n${text}\n\n`);
    throw new InvalidStackError(`${file} is invalid; nothing was started:\n${text}`);
  }
  const apps = compileStack(result.stack);
  // pm2 does not create log folders; an app whose log file cannot open is errored.
  for (const app of apps) {
    mkdirSync(dirname(app.out_file), { recursive: true });
    mkdirSync(dirname(app.error_file), { recursive: true });
  }
  // A scheduled deploy (stack.deploy) is one more pm2 app: a cron-started job.
  const job = deployJobApp(result.stack);
  if (job) apps.push(job as unknown as Pm2App);
  if (result.stack.profile === 'development') {
    const reloading = result.stack.services.filter((s) => s.reload).map((s) => s.name);
    process.stderr.write(`\n*** botstack: DEVELOPMENT profile${reloading.length ? `, --reload ON for ${reloading.join(', ')}` : ''}. Never run this on the production VPS. ***\n\n`);
  }
  return apps;
}

/** require() with `botstack` mapped to this package: the stack's folder may have no node_modules (own-package.ts). */
function requireStack(file: string): Record<string, unknown> {
  const unhook = hookOwnPackageForRequire();
  try {
    return createRequire(file)(file) as Record<string, unknown>;
  } finally {
    unhook();
  }
}
