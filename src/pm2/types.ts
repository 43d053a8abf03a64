// What botstack reads from pm2's process list, typed. Raw pm2_env has hundreds
// of loosely typed keys; toProcessInfo picks the ones we rely on, once.

export type Pm2Status = 'online' | 'stopping' | 'stopped' | 'launching' | 'errored' | 'one-launch-status' | 'waiting restart';

export interface ProcessInfo {
  readonly name: string;
  readonly pmId: number;
  readonly namespace: string;
  /** 0 when not running. */
  readonly pid: number;
  readonly status: Pm2Status;
  /** When the current process was spawned (ms epoch), or null. */
  readonly startedAt: number | null;
  readonly restarts: number;
  readonly unstableRestarts: number;
  /** RSS of the main process only, as pm2 measures it. */
  readonly memory: number;
  readonly cpu: number;
  readonly watch: boolean;
  readonly maxMemoryRestart: number | null;
  readonly killTimeout: number | null;
  readonly minUptime: number | null;
  readonly maxRestarts: number | null;
  readonly autorestart: boolean;
  readonly outFile: string | null;
  readonly errFile: string | null;
  readonly execPath: string | null;
  readonly interpreter: string | null;
  readonly args: readonly string[];
  readonly exitCode: number | null;
  /** @pm2/io metrics the app publishes: name -> value. */
  readonly metrics: Readonly<Record<string, unknown>>;
  /** @pm2/io actions the app offers. */
  readonly actions: readonly string[];
  readonly env: Readonly<Record<string, unknown>>;
}

/** A `process:event` from pm2's bus, reduced to what the monitor records. */
export interface ProcessEvent {
  readonly event: string;
  readonly name: string;
  readonly pmId: number;
  /** When we received it, on the monotonic clock (util/mono.ts). */
  readonly at: number;
  readonly manually: boolean;
  readonly exitCode: number | null;
  readonly signal: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);

/** What a read-only command needs from pm2: both Pm2Client and DaemonLink have it. */
export interface Pm2Reader {
  list(): Promise<ProcessInfo[]>;
  triggerId(pmId: number, action: string, param?: string, timeoutMs?: number): Promise<unknown>;
}

export function toProcessInfo(raw: Record<string, any>): ProcessInfo {
  const env = (raw.pm2_env ?? {}) as Record<string, any>;
  const monit = (raw.monit ?? {}) as Record<string, any>;
  const metrics: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((env.axm_monitor ?? {}) as Record<string, { value?: unknown }>)) metrics[k] = v?.value;
  const args = env.args;
  return {
    name: String(raw.name ?? env.name),
    pmId: Number(raw.pm_id ?? env.pm_id),
    namespace: String(env.namespace ?? 'default'),
    pid: Number(raw.pid ?? 0) || 0,
    status: env.status as Pm2Status,
    startedAt: env.status === 'online' ? num(env.pm_uptime) : null,
    restarts: num(env.restart_time) ?? 0,
    unstableRestarts: num(env.unstable_restarts) ?? 0,
    memory: num(monit.memory) ?? 0,
    cpu: num(monit.cpu) ?? 0,
    watch: env.watch === true || (Array.isArray(env.watch) && env.watch.length > 0) || env.watch === 'true',
    maxMemoryRestart: num(env.max_memory_restart),
    killTimeout: num(env.kill_timeout),
    minUptime: num(env.min_uptime),
    maxRestarts: num(env.max_restarts),
    autorestart: env.autorestart !== false && env.autorestart !== 'false',
    outFile: env.pm_out_log_path ?? null,
    errFile: env.pm_err_log_path ?? null,
    execPath: env.pm_exec_path ?? null,
    interpreter: env.exec_interpreter ?? null,
    args: Array.isArray(args) ? args.map(String) : typeof args === 'string' ? args.split(' ') : [],
    exitCode: num(env.exit_code),
    metrics,
    actions: ((env.axm_actions ?? []) as { action_name?: string }[]).map((a) => String(a.action_name)),
    env: (env.env ?? {}) as Record<string, unknown>,
  };
}

export function toProcessEvent(packet: Record<string, any>, now: number): ProcessEvent {
  const env = (packet.process ?? {}) as Record<string, any>;
  return {
    event: String(packet.event),
    name: String(env.name),
    pmId: Number(env.pm_id),
    // Not pm2's `packet.at`: that is the daemon's wall clock, which steps, and the monitor compares
    // event times with its own monotonic deadlines (a heal's expected exit). When we got it is close enough.
    at: now,
    manually: packet.manually === true,
    exitCode: num(env.exit_code),
    signal: typeof packet.signal === 'string' ? packet.signal : null,
  };
}
