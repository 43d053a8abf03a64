import { Engine, type ContainerInspect, type EngineEvent } from '../../docker/engine.js';
import { BusDispatch, type Bus } from '../../pm2/bus-dispatch.js';
import type { Pm2Status, ProcessInfo } from '../../pm2/types.js';
import type { MonitorPm2 } from '../deps.js';

// The monitor's second driver: Docker, where the first is pm2. It implements
// the interface the monitor already drives pm2 through (list, restart, stop,
// signal, bus), over the Engine API, for the containers of one Compose
// project. The brain, its policy, alerts, /metrics and report are the same code.
//
// - list: one row per Compose service (label com.docker.compose.service), with
//   the container's pid, state and start. A paused container is "online": it
//   is alive, and the monitor's probe (which it cannot answer) decides.
// - restart: unpause first (a frozen process cannot run its SIGINT handler),
//   then the Engine's restart with the service's stop timeout.
// - signalId(SIGKILL): the healer's escalation, sent only while the container
//   still runs the pid the heal started from, so a new process is never killed.
// - bus: the Engine's die/start events as pm2's exit/online, its stop/restart as manual ones.

export const SERVICE_LABEL = 'com.docker.compose.service';
export const PROJECT_LABEL = 'com.docker.compose.project';

export interface DockerDriverOptions {
  readonly engine: Engine;
  readonly project: string;
  /** Service names in the stack's order: their index is the pm_id the brain keys on. */
  readonly services: readonly string[];
  /** Seconds the Engine waits after the stop signal before SIGKILL, per service. */
  readonly stopTimeoutS: (name: string) => number;
  readonly log?: (line: string) => void;
}

const STATUS: Record<ContainerInspect['State']['Status'], Pm2Status> = { created: 'stopped', running: 'online', paused: 'online', restarting: 'launching', removing: 'stopping', exited: 'stopped', dead: 'errored' };

export class DockerDriver implements MonitorPm2 {
  private readonly byName = new Map<string, ContainerInspect>();
  private readonly healFrom = new Map<string, number>();
  private readonly dispatch = new BusDispatch();
  private stopEvents: (() => void) | null = null;
  private closed = false;

  constructor(private readonly o: DockerDriverOptions) {}

  private filters(): Record<string, string[]> {
    return { label: [`${PROJECT_LABEL}=${this.o.project}`] };
  }

  /** The project's containers, inspected; the newest container of a service wins (a recreate leaves none behind). */
  async inspectAll(): Promise<Map<string, ContainerInspect>> {
    const rows = await this.o.engine.call<{ Id: string; Labels: Record<string, string> | null }[]>('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify(this.filters()))}`);
    const found = new Map<string, ContainerInspect>();
    for (const row of rows) {
      const name = row.Labels?.[SERVICE_LABEL];
      if (name === undefined || !this.o.services.includes(name)) continue;
      const c = await this.o.engine.call<ContainerInspect>('GET', `/containers/${row.Id}/json`).catch(() => null);
      if (c === null) continue;
      const prev = found.get(name);
      if (!prev || Date.parse(c.State.StartedAt) > Date.parse(prev.State.StartedAt)) found.set(name, c);
    }
    this.byName.clear();
    for (const [k, v] of found) this.byName.set(k, v);
    return found;
  }

  async list(): Promise<ProcessInfo[]> {
    const found = await this.inspectAll();
    return [...found].map(([name, c]) => toInfo(name, this.o.services.indexOf(name), c));
  }

  /** The last inspect of `name`, as list() left it. */
  cached(name: string): ContainerInspect | undefined {
    return this.byName.get(name);
  }

  /** Alive as far as the last list knows: the healer asks this between its restart and its SIGKILL. */
  isAlive(pid: number): boolean {
    return [...this.byName.values()].some((c) => c.State.Pid === pid && c.State.Running);
  }

  private async fresh(name: string): Promise<ContainerInspect> {
    const id = this.byName.get(name)?.Id;
    const c = id !== undefined ? await this.o.engine.call<ContainerInspect>('GET', `/containers/${id}/json`).catch(() => null) : null;
    if (c !== null) return c;
    const again = (await this.inspectAll()).get(name);
    if (!again) throw new Error(`no container for service ${name} in Compose project ${this.o.project}`);
    return again;
  }

  async restart(name: string, timeoutMs?: number): Promise<unknown> {
    const c = await this.fresh(name);
    this.healFrom.set(name, c.State.Pid);
    const t = this.o.stopTimeoutS(name);
    if (c.State.Paused) {
      this.o.log?.(`monitor: ${name} is paused; unpausing it so its stop signal can run`);
      await this.o.engine.call('POST', `/containers/${c.Id}/unpause`);
    }
    try {
      return await this.o.engine.call('POST', `/containers/${c.Id}/restart?t=${t}`, timeoutMs ?? (t + 20) * 1000);
    } finally {
      this.healFrom.delete(name);
    }
  }

  async stop(name: string, timeoutMs?: number): Promise<unknown> {
    const c = await this.fresh(name);
    const t = this.o.stopTimeoutS(name);
    if (c.State.Paused) await this.o.engine.call('POST', `/containers/${c.Id}/unpause`);
    return this.o.engine.call('POST', `/containers/${c.Id}/stop?t=${t}`, timeoutMs ?? (t + 20) * 1000);
  }

  async signalId(signal: NodeJS.Signals, pmId: number): Promise<unknown> {
    const name = this.o.services[pmId];
    if (name === undefined) throw new Error(`no service with index ${pmId}`);
    const c = await this.fresh(name);
    const from = this.healFrom.get(name);
    // The heal's escalation is for the process it started from; a newer one is left alone.
    if (from !== undefined && c.State.Pid !== from) return null;
    if (!c.State.Running) return null;
    return this.o.engine.call('POST', `/containers/${c.Id}/kill?signal=${signal}`);
  }

  async bus(): Promise<Bus> {
    if (this.stopEvents === null) this.follow();
    return this.dispatch.open();
  }

  /** The Engine's container events as pm2's process:event packets; reconnects 1 s after the stream ends. */
  private follow(): void {
    const onEvent = (e: EngineEvent): void => {
      const name = e.Actor?.Attributes?.[SERVICE_LABEL];
      if (name === undefined || !this.o.services.includes(name)) return;
      // die is pm2's exit; the stop and restart that follow a die are someone's command (docker stop,
      // docker restart, or the monitor's own heal, which the history already expects): pm2's "manually".
      const event = e.Action === 'die' ? 'exit' : e.Action === 'start' ? 'online' : e.Action === 'stop' || e.Action === 'restart' ? e.Action : null;
      if (event === null) return;
      const code = Number(e.Actor?.Attributes?.exitCode);
      this.dispatch.emit('process:event', { event, manually: event === 'stop' || event === 'restart', process: { name, pm_id: this.o.services.indexOf(name), exit_code: Number.isFinite(code) ? code : null } });
    };
    const onEnd = (err: Error | null): void => {
      this.stopEvents = null;
      if (this.closed) return;
      this.o.log?.(`monitor: the Engine's event stream ended${err ? ` (${err.message})` : ''}; reconnecting`);
      setTimeout(() => !this.closed && this.follow(), 1000).unref();
    };
    this.stopEvents = this.o.engine.events({ type: ['container'], ...this.filters() }, onEvent, onEnd);
  }

  close(): void {
    this.closed = true;
    this.stopEvents?.();
    this.stopEvents = null;
  }
}

function toInfo(name: string, pmId: number, c: ContainerInspect): ProcessInfo {
  const running = c.State.Running || c.State.Paused;
  const started = Date.parse(c.State.StartedAt);
  return {
    name,
    pmId,
    namespace: 'docker',
    pid: running ? c.State.Pid : 0,
    status: STATUS[c.State.Status] ?? 'stopped',
    startedAt: running && Number.isFinite(started) ? started : null,
    restarts: c.RestartCount,
    unstableRestarts: 0,
    memory: 0,
    cpu: 0,
    watch: false,
    maxMemoryRestart: null,
    killTimeout: null,
    minUptime: null,
    maxRestarts: null,
    autorestart: true,
    outFile: null,
    errFile: null,
    execPath: null,
    interpreter: null,
    args: [],
    exitCode: running ? null : c.State.ExitCode,
    metrics: {},
    actions: [],
    env: {},
  };
}
