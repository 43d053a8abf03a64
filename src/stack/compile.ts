import { STACK_ENV_KEY } from './env-key.js';
import { runtimePaths } from '../util/package-root.js';
import { holderEnv, isHeld } from './launch-held.js';
import { toPm2Size } from './units.js';
import type { Service, Stack } from './types.js';

/**
 * A pm2 app declaration, limited to the keys botstack emits. Every value is one
 * pm2's validator keeps as written: no falsy limits it would drop, no one-element
 * arrays it would flatten, sizes only in ^\d+(G|M|K)$ form.
 */
export interface Pm2App {
  readonly name: string;
  readonly namespace: string;
  readonly script: string;
  readonly interpreter: string;
  readonly args: readonly string[];
  readonly node_args?: readonly string[];
  readonly cwd: string;
  readonly exec_mode: 'fork';
  readonly instances: 1;
  readonly watch: false;
  readonly autorestart: true;
  readonly max_memory_restart?: string;
  readonly max_restarts: number;
  readonly min_uptime: number;
  readonly exp_backoff_restart_delay: number;
  readonly kill_timeout: number;
  readonly treekill: true;
  readonly out_file: string;
  readonly error_file: string;
  readonly merge_logs: true;
  readonly log_date_format: string;
  readonly env: Readonly<Record<string, string>>;
}

export const LOG_DATE_FORMAT = 'YYYY-MM-DDTHH:mm:ss.SSSZ';
const PYTHON_KINDS = new Set(['uvicorn', 'python']);

export { STACK_ENV_KEY };

/** The env vars that turn on redaction at the source: key names and a path, never a value (pm2 stores its apps' env). */
export const REDACT_ENV = { keys: 'BOTSTACK_REDACT_KEYS', envFile: 'BOTSTACK_REDACT_ENV_FILE' } as const;

/** Whether a Python service's output is redacted before pm2 writes it: as written, else when it declares secrets. */
export const redactsLogs = (s: Service): boolean => PYTHON_KINDS.has(s.kind) && (s.redactLogs ?? s.secrets.length > 0);

export function compileService(stack: Stack, s: Service): Pm2App {
  const env: Record<string, string> = {
    ...s.env,
    BOTSTACK_PROFILE: stack.profile,
    BOTSTACK_SERVICE: s.name,
    BOTSTACK_STACK_NAME: stack.name,
  };
  if (PYTHON_KINDS.has(s.kind)) {
    // pm2 adds this only when the interpreter path contains "python"; wrappers miss it.
    env.PYTHONUNBUFFERED = '1';
    // runtime/python/sitecustomize.py: one write per printed line, and the probe's access lines kept once every 61 s (at most 60 an hour).
    env.PYTHONPATH = [runtimePaths.pythonPath(), s.env.PYTHONPATH].filter(Boolean).join(':');
    if (s.kind === 'uvicorn' && s.health.type === 'http') env.BOTSTACK_PROBE_PATH = s.health.path;
    // The socket holder's settings (launch-held.ts): its control folder, the health gate, its stop time.
    if (isHeld(s)) Object.assign(env, holderEnv(stack, s));
    // The hook reads the values itself, from its own environment and the .env file.
    if (redactsLogs(s)) Object.assign(env, { [REDACT_ENV.keys]: s.secrets.join(','), [REDACT_ENV.envFile]: stack.envFile });
  }
  // The service touches the file its health check reads; one path, declared once.
  if (s.health.type === 'heartbeat') env.BOTSTACK_HEARTBEAT = s.health.file;
  if (s.kind === 'monitor') {
    env[STACK_ENV_KEY] = JSON.stringify(stack);
    // pm2's process container then loads no @pm2/io of its own: the monitor inits its own
    // once, without the default init's timers, each a wake-up a second (monitor/pm2io.ts).
    env.pmx = 'false';
  }
  return {
    name: s.name,
    namespace: stack.name,
    script: s.launch.script,
    interpreter: s.launch.interpreter,
    args: [...s.launch.args],
    ...(s.launch.nodeArgs && s.launch.nodeArgs.length > 0 ? { node_args: [...s.launch.nodeArgs] } : {}),
    cwd: s.cwd,
    exec_mode: 'fork',
    instances: 1,
    watch: false,
    autorestart: true,
    ...(s.memoryBytes !== null ? { max_memory_restart: toPm2Size(s.memoryBytes) } : {}),
    max_restarts: s.maxRestarts,
    min_uptime: s.minUptimeMs,
    exp_backoff_restart_delay: s.restartBackoffMs,
    kill_timeout: s.stopTimeoutMs,
    treekill: true,
    out_file: s.outFile,
    error_file: s.errFile,
    merge_logs: true,
    log_date_format: LOG_DATE_FORMAT,
    env,
  };
}

/** A new array of new objects: the stack is never mutated. */
export function compileStack(stack: Stack): Pm2App[] {
  return stack.services.map((s) => compileService(stack, s));
}
