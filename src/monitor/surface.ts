import type { HealthReport } from './report.js';
import { counts } from './report-build.js';
import type { Gauge, IoSink, Reply } from './sink.js';
import { monoNow } from '../util/mono.js';

/** A latency alone is news for pm2 at most this often; any other change goes out on the tick it happens. */
const LATENCY_ONLY_EVERY_MS = 5000;

// The monitor as pm2 shows it: per-service metrics in `pm2 monit` / `pm2 show
// monitor`, and the actions behind `pm2 trigger monitor <action> [param]`.

export interface ActionHandlers {
  health(): HealthReport;
  probe(name: string): Promise<unknown>;
  pause(): void;
  resume(): void;
  /** A deploy owns these services for a lease (holds.ts); no heal meanwhile. */
  hold(param: unknown): unknown;
  release(param: unknown): unknown;
}

interface ServiceGauges {
  readonly state: Gauge;
  readonly latency: Gauge;
  readonly failures: Gauge;
  readonly heals: Gauge;
  readonly restarts: Gauge;
}

export class Surface {
  private readonly perService = new Map<string, ServiceGauges>();
  private readonly healthy: Gauge;
  private readonly unhealthy: Gauge;
  private readonly paused: Gauge;

  constructor(private readonly sink: IoSink, names: readonly string[]) {
    for (const n of names) {
      this.perService.set(n, {
        state: sink.gauge(`${n} state`),
        latency: sink.gauge(`${n} latency`, 'ms'),
        failures: sink.gauge(`${n} failures`),
        heals: sink.gauge(`${n} heals`),
        restarts: sink.gauge(`${n} restarts/h`),
      });
    }
    this.healthy = sink.gauge('services healthy');
    this.unhealthy = sink.gauge('services unhealthy');
    this.paused = sink.gauge('healing paused');
  }

  private readonly shown = new Map<Gauge, number | string>();
  private flushedAt = -Infinity;

  /** Sets a gauge; true when its value changed. */
  private put(g: Gauge, v: number | string): boolean {
    if (this.shown.get(g) === v) return false;
    this.shown.set(g, v);
    g.set(v);
    return true;
  }

  /** Whether a publish now would reach pm2: with `news` (a change besides a latency) always, else every LATENCY_ONLY_EVERY_MS. */
  due(news: boolean): boolean {
    return news || monoNow() - this.flushedAt >= LATENCY_ONLY_EVERY_MS;
  }

  publish(report: HealthReport): void {
    let news = false;
    for (const [name, s] of Object.entries(report.services)) {
      const g = this.perService.get(name);
      if (!g) continue;
      // `pm2 monit` shows one value per metric: the note's first words say what the state is worth.
      news = this.put(g.state, s.note ? `${s.state} (${s.note.split(':')[0]})` : s.state) || news;
      this.put(g.latency, s.latencyMs ?? -1);
      news = this.put(g.failures, s.failures) || news;
      news = this.put(g.heals, s.heals) || news;
      news = this.put(g.restarts, s.restarts) || news;
    }
    const c = counts(report);
    news = this.put(this.healthy, c.healthy) || news;
    news = this.put(this.unhealthy, c.unhealthy) || news;
    news = this.put(this.paused, report.paused ? 'yes' : 'no') || news;
    // Sending the gauges to pm2 (JSON over its IPC) is most of a publish: a probe's new
    // latency, the one value that changes every second, waits for the next send.
    const now = monoNow();
    if (!news && now - this.flushedAt < LATENCY_ONLY_EVERY_MS) return;
    this.flushedAt = now;
    this.sink.flush?.();
  }

  registerActions(h: ActionHandlers): void {
    this.sink.action('health', (reply: Reply) => reply(h.health()));
    this.sink.actionWithParam('probe', (param: unknown, reply: Reply) => {
      const name = typeof param === 'string' ? param.trim() : '';
      if (!name) return reply({ ok: false, error: 'usage: pm2 trigger monitor probe <service>' });
      h.probe(name).then(reply, (err: unknown) => reply({ ok: false, error: String(err) }));
    });
    this.sink.action('pause', (reply: Reply) => {
      h.pause();
      reply({ paused: true });
    });
    this.sink.action('resume', (reply: Reply) => {
      h.resume();
      reply({ paused: false });
    });
    this.sink.actionWithParam('hold', (param: unknown, reply: Reply) => reply(h.hold(param)));
    this.sink.actionWithParam('release', (param: unknown, reply: Reply) => reply(h.release(param)));
  }
}
