import type { Db, MongoClient, MongoClientOptions, ServerHeartbeatFailedEvent } from 'mongodb';
import { startDeadline, type Deadline } from './deadline.js';
import { errorCode, socketErrorReason } from './net-errors.js';
import { dialHost, down, hostPort, up } from './result.js';
import type { Probe, ProbeResult } from './types.js';

// `ping` over one kept-open connection of the official driver: no process per
// probe, no reconnect per probe. The driver is imported on first use only, so a
// monitor without a mongo service never pays its memory.
//
// A hung server is the hard case: the driver would queue the next ping behind
// the stuck one, and each new client would add sockets. So a failed probe
// retires its client (closed in the background, tracked) and the next probe
// starts a fresh one; a healthy probe keeps reusing the same connection.

export interface MongoProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  /** How often the driver's own monitor re-checks the server; default 10 s. */
  readonly heartbeatFrequencyMs?: number;
}

/** How often the driver's pool wakes up for its own upkeep (its default: 100 ms). */
export const POOL_CHECK_MS = 60_000;

function clientOptions(o: MongoProbeOptions): MongoClientOptions {
  return {
    directConnection: true,
    serverSelectionTimeoutMS: o.timeoutMs,
    connectTimeoutMS: o.timeoutMs,
    socketTimeoutMS: o.timeoutMs,
    // One pooled connection: probes never overlap, so a second one only costs memory.
    maxPoolSize: 1,
    minPoolSize: 0,
    // Polling, not streaming: streaming adds a second socket and an RTT pinger.
    serverMonitoringMode: 'poll',
    heartbeatFrequencyMS: o.heartbeatFrequencyMs ?? 10_000,
    retryReads: false,
    retryWrites: false,
    appName: 'botstack-probe',
  };
}

export class MongoProbe {
  // A promise, so two overlapping probes (the schedule and a manual trigger) share one client.
  private client: Promise<MongoClient> | null = null;
  private closed = false;
  private readonly retiring = new Set<Promise<void>>();
  private readonly admins = new WeakMap<MongoClient, Db>();
  private readonly host: string;
  private readonly where: string;
  /** A `Probe`, bound: safe to pass around on its own. */
  readonly probe: Probe = (signal) => this.run(signal);

  constructor(private readonly o: MongoProbeOptions) {
    this.host = dialHost(o.host);
    this.where = hostPort(this.host, o.port);
  }

  /** Sockets the driver holds open right now belong to at most this many clients (tests). */
  get clientsAlive(): number {
    return this.retiring.size + (this.client ? 1 : 0);
  }

  /** Closes the current client and waits for retired ones, each bounded by the timeout. */
  async close(): Promise<void> {
    this.closed = true;
    this.retire(this.client);
    await Promise.all([...this.retiring]);
  }

  private async run(signal: AbortSignal): Promise<ProbeResult> {
    const dl = startDeadline(signal, this.o.timeoutMs);
    try {
      if (this.closed) return down(0, `mongo probe for ${this.where} is closed`);
      if (dl.signal.aborted) return down(0, `${dl.expired()} (not started)`);
      const current = this.client ?? (this.client = this.newClient());
      const result = await this.ping(current, dl);
      if (!result.ok) this.retire(current);
      return result;
    } finally {
      dl.dispose();
    }
  }

  private async newClient(): Promise<MongoClient> {
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(`mongodb://${this.where}/`, clientOptions(this.o));
    // The driver's pool wakes the process every 100 ms, for good, to top up
    // minPoolSize (0 here) and prune connections (we retire the whole client
    // on a failure instead). On a small VM those 10 wake-ups a second cost
    // more CPU than everything else the monitor does. The interval is an
    // internal option the constructor refuses, so it is set on the parsed
    // options before the first connect; a test pins it (mongo.test.ts).
    (client.options as { minPoolSizeCheckFrequencyMS?: number }).minPoolSizeCheckFrequencyMS = POOL_CHECK_MS;
    // Server selection would wait out the whole timeout on a refused port; the
    // driver's monitor knows at once, so the waiting probe answers as soon as it does.
    // One listener for the client's life, not one added and removed per ping.
    client.on('serverHeartbeatFailed', (ev: ServerHeartbeatFailedEvent) => {
      if (errorCode(ev.failure) === 'ECONNREFUSED') this.waiting.get(client)?.(`connection refused on ${this.where}`);
    });
    return client;
  }

  /** The probe waiting on each client's answer, for the client's one heartbeat listener. */
  private readonly waiting = new WeakMap<MongoClient, (reason: string) => void>();

  /** Takes the client as a promise so the abort also covers the driver's first import. */
  private ping(pending: Promise<MongoClient>, dl: Deadline): Promise<ProbeResult> {
    return new Promise<ProbeResult>((resolve) => {
      let client: MongoClient | undefined;
      let done = false;
      const finish = (r: ProbeResult) => {
        if (done) return;
        done = true;
        if (client && this.waiting.get(client) === refused) this.waiting.delete(client);
        dl.signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onAbort = () => finish(down(dl.elapsed(), `${dl.expired()} (no reply to ping from mongod at ${this.where})`));
      const refused = (reason: string) => finish(down(dl.elapsed(), reason));
      dl.signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (c) => {
          if (done) return;
          client = c;
          this.waiting.set(c, refused);
          this.command(c, dl).then(finish);
        },
        (err: unknown) => finish(down(dl.elapsed(), `mongodb driver failed to load: ${err instanceof Error ? err.message : String(err)}`)),
      );
    });
  }

  private command(client: MongoClient, dl: Deadline): Promise<ProbeResult> {
    // One Db handle per client: the driver builds a new one (options merged, a logger) on each db() call.
    let admin = this.admins.get(client);
    if (!admin) this.admins.set(client, (admin = client.db('admin')));
    // No timeout or signal for the driver: the deadline answers the probe (onAbort above),
    // a failed probe retires the client, and closing it ends what is still in flight; the
    // driver's `timeoutMS` context and abort wrapper per command were a third of a ping's
    // CPU. The socket and selection timeouts bound it as before.
    return admin
      .command({ ping: 1 })
      .then(
        (doc) => (doc['ok'] === 1 ? up(dl.elapsed(), 'ping ok') : down(dl.elapsed(), `ping answered ok=${String(doc['ok'])}`)),
        (err: unknown) => down(dl.elapsed(), this.errorReason(err)),
      );
  }

  private errorReason(err: unknown): string {
    if (errorCode(err)) return socketErrorReason(err, this.host, this.o.port);
    const e = err as { name?: string; codeName?: string; message?: string };
    return `ping failed on ${this.where}: ${e.codeName ?? e.name ?? 'error'}: ${e.message ?? String(err)}`.slice(0, 200);
  }

  /**
   * Drops `client` if it is still the current one (an overlapping probe may
   * have retired it already); its close runs in the background and close() awaits it.
   */
  private retire(client: Promise<MongoClient> | null): void {
    if (!client || client !== this.client) return;
    this.client = null;
    const closing = client.then((c) => c.close()).catch(() => undefined);
    this.retiring.add(closing);
    void closing.finally(() => this.retiring.delete(closing));
  }
}

export function mongoProbe(o: MongoProbeOptions): MongoProbe {
  return new MongoProbe(o);
}
