import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { EnvLookup } from './resolve.js';
import { missingSecrets } from './secrets-present.js';
import type { Problem, Service, Stack } from './types.js';
import { unheld } from './launch-held.js';

// pm2 starts every app whose script it finds and skips the rest, leaving a stack
// up half-way. These checks run before pm2 sees anything, so it is all or none.

/** The absolute path of an executable: as given when it has a slash, else from PATH. */
export function which(cmd: string, env: EnvLookup = process.env): string | null {
  if (cmd.includes('/')) return isExecutable(cmd) ? cmd : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function serviceFiles(stack: Stack, s: Service, env: EnvLookup): Problem[] {
  const out: Problem[] = [];
  const p = (field: string, message: string, fix: string): Problem => ({ file: stack.file, path: `services.${s.index}.${field}`, service: s.name, message, fix });
  if (!existsSync(s.cwd)) out.push(p('cwd', `working folder ${s.cwd} does not exist`, `create it, or set BOTSTACK_ROOT / ${s.name}.cwd to the project folder`));
  // Under the socket holder, the files that matter are still the service's own (the venv's uvicorn).
  const launch = unheld(s.launch);
  const { interpreter, script } = launch;
  if (interpreter === 'none') {
    if (!which(script, env)) {
      const fix = s.kind === 'mongod' ? 'install MongoDB, or set BOTSTACK_MONGOD to the mongod binary' : `install it, or give ${s.name}.command as an absolute path`;
      out.push(p(s.kind === 'mongod' ? 'binary' : 'command', `${script} is not an executable file${script.includes('/') ? '' : ' on PATH'}`, fix));
    }
    return out;
  }
  if (interpreter !== 'node' && !isExecutable(interpreter)) {
    out.push(p('venv', `${interpreter} does not exist`, `create the venv: python3 -m venv ${s.venv ?? stack.venv} (or set BOTSTACK_VENV)`));
  }
  const target = script.endsWith('envexec.py') ? (launch.args[1] ?? script) : script;
  if (!existsSync(target)) {
    const fix = s.kind === 'uvicorn' ? `install uvicorn into the venv: ${join(s.venv ?? stack.venv, 'bin', 'pip')} install uvicorn` : s.kind === 'monitor' ? 'build botstack: npm run build' : 'correct the path, or set BOTSTACK_ROOT to the project folder';
    out.push(p(s.kind === 'uvicorn' ? 'venv' : 'script', `${target} does not exist`, fix));
  }
  return out;
}

/** Every missing folder, script, interpreter, binary or declared secret, as problems. */
export function checkFiles(stack: Stack, env: EnvLookup = process.env): Problem[] {
  return [...stack.services.flatMap((s) => serviceFiles(stack, s, env)), ...missingSecrets(stack, env)];
}
