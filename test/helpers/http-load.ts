import http from 'node:http';

// A paced HTTP load on 127.0.0.1: one GET every 1000/rate ms, not waiting for
// the previous answer, each remembered with when it started and ended. Two
// shapes: a new connection per request (the shape refusals hit), or a few
// keep-alive clients (the shape a graceful stop's connection closing hits).
// Bounded: it stops when told, or at `maxMs`, whichever comes first.

export type LoadShape = 'new-connections' | 'keep-alive';

export interface Answer {
  readonly at: number;
  readonly end: number;
  readonly ok: boolean;
  readonly status: number;
  readonly error?: string;
  /** The pid the answer names (the fixture apps put it in their body), or 0. */
  readonly pid: number;
}

export interface LoadOptions {
  readonly port: () => number;
  readonly path?: string;
  readonly rate?: number;
  readonly shape?: LoadShape;
  readonly timeoutMs?: number;
  readonly maxMs?: number;
}

export interface Window {
  readonly requests: number;
  readonly failed: number;
  readonly longestGapMs: number;
  readonly statuses: Readonly<Record<string, number>>;
}

export interface Load {
  readonly answers: Answer[];
  window(from: number, to: number): Window;
  /** Stops sending, then waits for every request in flight to end. */
  stop(): Promise<void>;
}

export function startLoad(o: LoadOptions): Load {
  const rate = o.rate ?? 50;
  const timeoutMs = o.timeoutMs ?? 2000;
  const agent = o.shape === 'keep-alive' ? new http.Agent({ keepAlive: true, maxSockets: 4 }) : undefined;
  const answers: Answer[] = [];
  let inFlight = 0;
  let stopped = false;
  const t0 = performance.now();
  const one = () => {
    const at = performance.now();
    inFlight += 1;
    let settled = false;
    const done = (a: Omit<Answer, 'at' | 'end'>) => {
      if (settled) return;
      settled = true;
      inFlight -= 1;
      answers.push({ at, end: performance.now(), ...a });
    };
    const req = http.get({ host: '127.0.0.1', port: o.port(), path: o.path ?? '/health', ...(agent ? { agent } : { agent: false }), timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ ok: res.statusCode === 200, status: res.statusCode ?? 0, pid: Number(/"pid":\s*(\d+)/.exec(body)?.[1] ?? 0) }));
      res.on('error', (e) => done({ ok: false, status: 0, error: e.message, pid: 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, status: 0, error: e.code ?? e.message, pid: 0 }));
  };
  const run = (async () => {
    for (let next = performance.now(); !stopped && performance.now() - t0 < (o.maxMs ?? 600_000); next += 1000 / rate) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      one();
    }
  })();
  return {
    answers,
    window: (from, to) => summarise(answers.filter((a) => a.at >= from && a.at < to)),
    stop: async () => {
      stopped = true;
      await run;
      const deadline = performance.now() + timeoutMs + 1000;
      while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      agent?.destroy();
    },
  };
}

/** Requests, failures, and the longest time between two successive good answers. */
export function summarise(w: readonly Answer[]): Window {
  const good = w.filter((a) => a.ok).map((a) => a.end).sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < good.length; i++) gap = Math.max(gap, good[i]! - good[i - 1]!);
  const statuses: Record<string, number> = {};
  for (const a of w) {
    const k = a.ok ? '200' : (a.error ?? String(a.status));
    statuses[k] = (statuses[k] ?? 0) + 1;
  }
  return { requests: w.length, failed: w.filter((a) => !a.ok).length, longestGapMs: Math.round(gap), statuses };
}
