import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { onGrid } from '../util/grid.js';
import { monoNow } from '../util/mono.js';
import { encodeFrame, FrameReader, type Frame } from './amp.js';
import { BusDispatch, type Bus, type Packet } from './bus-dispatch.js';
import { Pm2Error } from './client.js';
import { toProcessInfo, type ProcessInfo } from './types.js';

// The monitor's own line to the pm2 daemon that runs it: the RPCs it uses
// (list, restart, stop, signal, notify, msgProcess) and the event bus, spoken
// directly over the daemon's two unix sockets (wire format in amp.ts). The CLI's
// read commands (status, logs) use it too, for the load time below; commands
// that start daemons and apps keep pm2's client (client.ts). The monitor is a
// long-running app, and two costs of pm2's client land on it:
// - memory: require('pm2') is ~7 MiB RSS, more than a tenth of the monitor;
// - CPU: pm2's bus decodes every message the daemon publishes, and that
//   includes every log line of every app (uvicorn logs each request). Here a
//   message's topic is read first and the rest parsed only when subscribed.
// Same calls as pm2's client: restart/stop are the RPC then the `manually`
// notification pm2's CLI sends, so the bus and history see the same events.
//
// With `busDrainMs`, the bus socket is not read as messages arrive but drained
// on a wall-clock grid, in the same wake-up as the monitor's probes (see
// util/grid.ts). Each probe makes uvicorn log a line, which pm2 publishes;
// reading those one by one would wake the monitor several times a second for
// nothing. Events wait in the kernel's socket buffer meanwhile, at most
// `busDrainMs`; a drain that finds a burst (BURST_BYTES) keeps reading until
// the next one, so a chatty app never makes pm2 hold a backlog for us.

const BURST_BYTES = 1 << 20;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class DaemonLink {
  private rpc: Promise<Socket> | null = null;
  private readonly pending = new Map<string, Pending>();
  private ids = 0;
  private pub: Promise<Socket> | null = null;
  private readonly dispatch = new BusDispatch();
  private closed = false;
  /** Bus messages received, those parsed for a subscriber (the rest were skipped at their topic), and socket reads. */
  readonly busStats = { received: 0, parsed: 0, reads: 0 };

  private drainTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly home: string,
    private readonly timeoutMs: number,
    private readonly busDrainMs: number | undefined,
  ) {}

  /** Connects to PM2_HOME's daemon; never spawns one (fails with PM2_UNREACHABLE). */
  static async connect(opts: { home: string; timeoutMs?: number; busDrainMs?: number }): Promise<DaemonLink> {
    const link = new DaemonLink(opts.home, opts.timeoutMs ?? 10_000, opts.busDrainMs);
    await link.rpcSocket();
    return link;
  }

  async list(): Promise<ProcessInfo[]> {
    return ((await this.call('getMonitorData', {})) as Record<string, any>[]).map(toProcessInfo);
  }

  async restart(name: string, timeoutMs?: number): Promise<unknown> {
    return this.eachByName(name, 'restart', (id) => this.call('restartProcessId', { id, env: {} }, timeoutMs), timeoutMs);
  }

  async stop(name: string, timeoutMs?: number): Promise<unknown> {
    return this.eachByName(name, 'stop', (id) => this.call('stopProcessId', id, timeoutMs), timeoutMs);
  }

  /** A signal to one pm_id whatever its status (see Pm2Client.signalId). */
  signalId(signal: NodeJS.Signals, pmId: number): Promise<unknown> {
    return this.call('sendSignalToProcessId', { process_id: pmId, signal });
  }

  /** Runs an @pm2/io action on one pm_id and returns its reply (see Pm2Client.triggerId). */
  async triggerId(pmId: number, action: string, param?: string, timeoutMs = this.timeoutMs): Promise<unknown> {
    const bus = await this.bus();
    try {
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Pm2Error('PM2_RPC', `pm2 trigger #${pmId} ${action}: no answer within ${timeoutMs} ms`)), timeoutMs);
        bus.onRaw('axm:reply', (packet) => {
          if (packet.process?.pm_id !== pmId || packet.data?.action_name !== action) return;
          clearTimeout(timer);
          resolve(packet.data.return);
        });
        const msg = param === undefined ? { id: pmId, msg: action } : { id: pmId, msg: action, opts: param };
        this.call('msgProcess', msg, timeoutMs).catch((err: Error) => {
          clearTimeout(timer);
          reject(err);
        });
      });
    } finally {
      bus.close();
    }
  }

  /** The bus, with the same dispatch as Pm2Client.bus() (bus-dispatch.ts). */
  async bus(): Promise<Bus> {
    this.pub ??= this.open('pub.sock', (f) => this.onBusFrame(f)).then((sock) => {
      if (this.busDrainMs !== undefined) this.drainOnGrid(sock, this.busDrainMs);
      return sock;
    });
    await this.pub;
    return this.dispatch.open();
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    clearTimeout(this.drainTimer);
    for (const s of [this.rpc, this.pub]) (await s?.catch(() => null))?.destroy();
    this.failAll(new Pm2Error('PM2_UNREACHABLE', 'disconnected'));
  }

  private async eachByName(name: string, action: string, run: (id: number) => Promise<unknown>, timeoutMs?: number): Promise<unknown> {
    const ids = (await this.list()).filter((p) => p.name === name).map((p) => p.pmId);
    if (ids.length === 0) throw new Pm2Error('PM2_NOT_FOUND', `pm2 ${action} ${name}: no pm2 app named "${name}"`);
    const out: unknown[] = [];
    for (const id of ids) {
      out.push(await run(id));
      await this.call('notifyByProcessId', { id, action_name: action, manually: true }, timeoutMs);
    }
    return out;
  }

  private call(method: string, arg: unknown, timeoutMs = this.timeoutMs): Promise<unknown> {
    return this.rpcSocket().then(
      (sock) =>
        new Promise((resolve, reject) => {
          const id = `${process.pid}:${this.ids++}`;
          const timer = setTimeout(() => {
            this.pending.delete(id);
            reject(new Pm2Error('PM2_RPC', `pm2 ${method}: no answer within ${timeoutMs} ms`));
          }, timeoutMs);
          this.pending.set(id, { resolve, reject, timer });
          sock.write(encodeFrame([{ type: 'call', method, args: [arg] }, id]));
        }),
    );
  }

  private onReply(f: Frame): void {
    const id = f.string(1);
    const p = id === null ? undefined : this.pending.get(id);
    if (!p || id === null) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    const msg = f.value(0) as { error?: unknown; args?: unknown[] } | null;
    if (msg && msg.error !== undefined) p.reject(new Pm2Error('PM2_RPC', `pm2: ${typeof msg.error === 'string' ? msg.error : JSON.stringify(msg.error)}`));
    else p.resolve(msg?.args?.[0]);
  }

  private onBusFrame(f: Frame): void {
    this.busStats.received++;
    const topic = f.string(0);
    const set = topic === null ? undefined : this.dispatch.listeners(topic);
    if (!set) return;
    this.busStats.parsed++;
    const packet = f.value(1) as Packet;
    for (const h of set) h(packet);
  }

  private drainOnGrid(sock: Socket, everyMs: number): void {
    let bytes = 0;
    this.onRead = (n) => (bytes += n);
    sock.pause();
    const schedule = () => {
      // The same monotonic grid as the scheduler's, so a drain shares its wake-up.
      const now = monoNow();
      this.drainTimer = setTimeout(drain, onGrid(now + 1, everyMs) - now);
      this.drainTimer.unref();
    };
    const drain = () => {
      if (this.closed || sock.destroyed) return;
      bytes = 0;
      sock.resume();
      // Whatever is waiting is read in this same turn of the event loop; then stop again.
      setImmediate(() => {
        if (bytes < BURST_BYTES) sock.pause();
        schedule();
      }).unref();
    };
    schedule();
  }

  private onRead: (n: number) => void = () => undefined;

  /** The RPC socket, reconnected on the next call after the daemon closed it. */
  private rpcSocket(): Promise<Socket> {
    this.rpc ??= this.open('rpc.sock', (f) => this.onReply(f));
    return this.rpc;
  }

  private open(file: string, onFrame: (f: Frame) => void): Promise<Socket> {
    const path = join(this.home, file);
    return new Promise<Socket>((resolve, reject) => {
      if (this.closed) return reject(new Pm2Error('PM2_UNREACHABLE', 'disconnected'));
      const reader = new FrameReader(onFrame);
      // `onread` (not 'data'): it is what lets pause() really stop reading the
      // socket, so paused bus traffic waits in the kernel and wakes no one.
      const sock = createConnection({
        path,
        onread: {
          buffer: Buffer.allocUnsafe(64 * 1024),
          callback: (n: number, buf: Uint8Array) => {
            if (file === 'pub.sock') {
              this.busStats.reads++;
              this.onRead(n);
            }
            reader.push(Buffer.from(buf.subarray(0, n)));
            return true;
          },
        },
      });
      const timer = setTimeout(() => sock.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        resolve(sock);
      });
      sock.on('error', (err) => reject(new Pm2Error('PM2_UNREACHABLE', `no pm2 daemon answers at ${path} (PM2_HOME=${this.home}): ${err.message}`)));
      sock.once('close', () => {
        clearTimeout(timer);
        if (file === 'rpc.sock') {
          this.rpc = null;
          this.failAll(new Pm2Error('PM2_UNREACHABLE', `pm2 daemon closed ${path}`));
        } else this.pub = null;
      });
    });
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }
}
