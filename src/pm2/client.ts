import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Pm2App } from '../stack/compile.js';
import { withTimeout } from '../util/timeout.js';
import { BusDispatch, type Bus, type Packet } from './bus-dispatch.js';
import { daemonNodeOptions } from './daemon-options.js';
import { toProcessInfo, type ProcessInfo } from './types.js';

// One typed, promise-based client over pm2's programmatic API. Every RPC has a
// timeout (pm2's have none), and the daemon is always the one PM2_HOME names.

export class Pm2Error extends Error {
  constructor(
    readonly code: 'PM2_UNREACHABLE' | 'PM2_RPC' | 'PM2_NOT_FOUND' | 'PM2_HOME_MISMATCH',
    message: string,
  ) {
    super(message);
  }
}

export interface Pm2ClientOptions {
  /** Defaults to $PM2_HOME, then ~/.pm2, as pm2 itself does. */
  readonly home?: string;
  /** Default timeout for one RPC, in ms. */
  readonly timeoutMs?: number;
  /** false: fail with PM2_UNREACHABLE instead of spawning a daemon (read-only commands). */
  readonly spawnDaemon?: boolean;
  /** true: a daemon this spawns is pm2's as shipped, without botstack's log-reopen fix (tests' controls). */
  readonly plainDaemon?: boolean;
}

export type { Bus } from './bus-dispatch.js';

type Cb<T> = (err: unknown, v: T) => void;
interface Pm2Api {
  connect(cb: Cb<unknown>): void;
  disconnect(cb?: Cb<unknown>): void;
  list(cb: Cb<Record<string, any>[]>): void;
  start(cfg: unknown, cb: Cb<unknown>): void;
  restart(name: string, opts: unknown, cb: Cb<unknown>): void;
  stop(name: string, cb: Cb<unknown>): void;
  delete(name: string, cb: Cb<unknown>): void;
  killDaemon(cb: Cb<unknown>): void;
  launchBus(cb: Cb<any>): void;
  sendSignalToProcessName(signal: string, name: string, cb: Cb<unknown>): void;
  sendSignalToProcessId(signal: string, id: number, cb: Cb<unknown>): void;
  dump(force: boolean, cb: Cb<unknown>): void;
  resurrect(cb: Cb<unknown>): void;
  Client: { executeRemote(method: string, arg: unknown, cb: Cb<unknown>): void };
}

export function pm2Home(env: NodeJS.ProcessEnv = process.env): string {
  return env.PM2_HOME ?? join(env.HOME ?? homedir(), '.pm2');
}

/** True when a daemon answers on PM2_HOME's RPC socket. Never spawns one. */
export function daemonAnswers(home: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection(join(home, 'rpc.sock'));
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

let loadedHome: string | undefined;

/** pm2's module state is per process: one PM2_HOME per process, never two. */
function loadPm2(home: string): Pm2Api {
  if (loadedHome !== undefined && loadedHome !== home) {
    throw new Pm2Error('PM2_HOME_MISMATCH', `pm2 is already loaded for PM2_HOME=${loadedHome} in this process; cannot also use ${home}`);
  }
  loadedHome = home;
  const require = createRequire(import.meta.url);
  const pm2 = require('pm2') as { custom: new (o: object) => Pm2Api };
  return new pm2.custom({ pm2_home: home });
}

export class Pm2Client {
  readonly home: string;
  private readonly timeoutMs: number;
  private readonly api: Pm2Api;

  private constructor(api: Pm2Api, home: string, timeoutMs: number) {
    this.api = api;
    this.home = home;
    this.timeoutMs = timeoutMs;
  }

  static async connect(opts: Pm2ClientOptions = {}): Promise<Pm2Client> {
    const home = opts.home ?? pm2Home();
    const timeoutMs = opts.timeoutMs ?? 10_000;
    if (opts.spawnDaemon === false && !(await daemonAnswers(home))) {
      throw new Pm2Error('PM2_UNREACHABLE', `no pm2 daemon answers at ${join(home, 'rpc.sock')} (PM2_HOME=${home})`);
    }
    // pm2 fixes its paths (dump.pm2, pids, logs) from PM2_HOME when first
    // required, and its default instance creates that folder at once; it also
    // spawns its daemon with Object.assign({ PM2_HOME: home }, process.env), so
    // an inherited PM2_HOME would win. Pin it around the require and the connect.
    const inherited = process.env.PM2_HOME;
    const inheritedOptions = process.env.PM2_NODE_OPTIONS;
    process.env.PM2_HOME = home;
    // A daemon spawned here gets the preload that keeps `pm2 reloadLogs` from dropping lines.
    if (!opts.plainDaemon) process.env.PM2_NODE_OPTIONS = daemonNodeOptions(inheritedOptions);
    try {
      const api = loadPm2(home);
      const client = new Pm2Client(api, home, timeoutMs);
      await client.call('connect', (cb) => api.connect(cb), Math.max(timeoutMs, 20_000));
      return client;
    } finally {
      if (inherited === undefined) delete process.env.PM2_HOME;
      else process.env.PM2_HOME = inherited;
      if (inheritedOptions === undefined) delete process.env.PM2_NODE_OPTIONS;
      else process.env.PM2_NODE_OPTIONS = inheritedOptions;
    }
  }

  private call<T>(what: string, fn: (cb: Cb<T>) => void, ms = this.timeoutMs): Promise<T> {
    return withTimeout(`pm2 ${what}`, ms, () =>
      new Promise<T>((resolve, reject) => {
        try {
          fn((err, v) => (err ? reject(new Pm2Error('PM2_RPC', `pm2 ${what}: ${errText(err)}`)) : resolve(v)));
        } catch (err) {
          reject(new Pm2Error('PM2_RPC', `pm2 ${what}: ${errText(err)}`));
        }
      }),
    );
  }

  async list(): Promise<ProcessInfo[]> {
    const raw = await this.call<Record<string, any>[]>('list', (cb) => this.api.list(cb));
    return raw.map(toProcessInfo);
  }

  /** Raw pm2_env entries, for callers that must compare what pm2 holds key by key. */
  rawList(): Promise<Record<string, any>[]> {
    return this.call('list', (cb) => this.api.list(cb));
  }

  async get(name: string): Promise<ProcessInfo | undefined> {
    return (await this.list()).find((p) => p.name === name);
  }

  start(apps: readonly Pm2App[], timeoutMs?: number): Promise<unknown> {
    // Apps inherit the caller's env; pin PM2_HOME so the monitor talks to this daemon.
    const pinned = apps.map((a) => ({ ...a, env: { ...a.env, PM2_HOME: this.home } }));
    return this.call('start', (cb) => this.api.start({ apps: pinned }, cb), timeoutMs);
  }

  restart(name: string, timeoutMs?: number): Promise<unknown> {
    return this.call(`restart ${name}`, (cb) => this.api.restart(name, {}, cb), timeoutMs);
  }

  stop(name: string, timeoutMs?: number): Promise<unknown> {
    return this.call(`stop ${name}`, (cb) => this.api.stop(name, cb), timeoutMs);
  }

  delete(name: string, timeoutMs?: number): Promise<unknown> {
    return this.call(`delete ${name}`, (cb) => this.api.delete(name, cb), timeoutMs);
  }

  /** Signals go through pm2 so its restart counters and logs stay true. */
  signal(signal: NodeJS.Signals, name: string): Promise<unknown> {
    return this.call(`signal ${signal} ${name}`, (cb) => this.api.sendSignalToProcessName(signal, name, cb));
  }

  /**
   * A signal to one pm_id whatever its status. sendSignalToProcessName skips an
   * app that is `stopping`, which is exactly when a heal must force a hung
   * process down while pm2's own restart waits for it.
   */
  signalId(signal: NodeJS.Signals, pmId: number): Promise<unknown> {
    return this.call(`signal ${signal} #${pmId}`, (cb) => this.api.sendSignalToProcessId(signal, pmId, cb));
  }

  save(): Promise<unknown> {
    return this.call('save', (cb) => this.api.dump(true, cb));
  }

  resurrect(timeoutMs?: number): Promise<unknown> {
    return this.call('resurrect', (cb) => this.api.resurrect(cb), timeoutMs);
  }

  killDaemon(timeoutMs = 30_000): Promise<unknown> {
    return this.call('kill', (cb) => this.api.killDaemon(cb), timeoutMs);
  }

  private dispatch: Promise<BusDispatch> | undefined;

  /**
   * One pm2 bus for the client's life, with our own dispatch (bus-dispatch.ts):
   * pm2's trigger() opens a new bus per call and never closes it.
   */
  async bus(): Promise<Bus> {
    this.dispatch ??= this.call<any>('launchBus', (cb) => this.api.launchBus(cb)).then((raw) => {
      const d: BusDispatch = new BusDispatch((event) => raw.on(event, (packet: Packet) => d.emit(event, packet)));
      return d;
    });
    return (await this.dispatch).open();
  }

  /** Runs an @pm2/io action on an app and returns its reply. */
  async trigger(name: string, action: string, param?: string, timeoutMs = this.timeoutMs): Promise<unknown> {
    const target = await this.get(name);
    if (!target) throw new Pm2Error('PM2_NOT_FOUND', `no pm2 app named "${name}"`);
    return this.triggerId(target.pmId, action, param, timeoutMs);
  }

  /** trigger() for a pm_id the caller has from its own list(): one RPC fewer. */
  async triggerId(pmId: number, action: string, param?: string, timeoutMs = this.timeoutMs): Promise<unknown> {
    const bus = await this.bus();
    try {
      return await withTimeout(`pm2 trigger #${pmId} ${action}`, timeoutMs, () =>
        new Promise((resolve, reject) => {
          bus.onRaw('axm:reply', (packet) => {
            if (packet.process?.pm_id === pmId && packet.data?.action_name === action) resolve(packet.data.return);
          });
          const msg = param === undefined ? { id: pmId, msg: action } : { id: pmId, msg: action, opts: param };
          this.api.Client.executeRemote('msgProcess', msg, (err) => err && reject(new Pm2Error('PM2_RPC', errText(err))));
        }),
      );
    } finally {
      bus.close();
    }
  }

  disconnect(): Promise<void> {
    return withTimeout('pm2 disconnect', 5000, () => new Promise<void>((resolve) => this.api.disconnect(() => resolve()))).catch(() => undefined);
  }
}

function errText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}
