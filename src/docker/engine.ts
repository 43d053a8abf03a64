import { request, type IncomingMessage } from 'node:http';

// The Docker Engine API over its unix socket, with node:http and nothing else.
// The monitor needs six calls (list, inspect, unpause, restart, kill, stop) and
// the event stream; a client library (dockerode: ~20 packages, docker-modem,
// ssh2 with a native addon) would be most of the monitor's memory for that
// (BENCHMARKS.md, "Healing on Compose"). Every call has a timeout; errors are
// the Engine's own message, with the call that failed.

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface EngineOptions {
  /** The socket: DOCKER_HOST=unix://… or /var/run/docker.sock. */
  readonly socketPath: string;
  readonly timeoutMs?: number;
}

export class EngineError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** DOCKER_HOST as the docker CLI reads it; only unix:// is supported here. */
export function socketFromEnv(env: NodeJS.ProcessEnv): string {
  const host = env.DOCKER_HOST;
  if (host === undefined || host === '') return DEFAULT_SOCKET;
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new EngineError(`DOCKER_HOST=${host}: the monitor speaks to the Engine over a unix socket only; mount the socket and set DOCKER_HOST=unix:///var/run/docker.sock`, 0);
}

export class Engine {
  private readonly timeoutMs: number;

  constructor(private readonly o: EngineOptions) {
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  /** One call; resolves with the parsed JSON body (or null for an empty one). */
  call<T = unknown>(method: string, path: string, timeoutMs = this.timeoutMs): Promise<T> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.o.socketPath, method, path, headers: { host: 'docker' }, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 400) return reject(new EngineError(`${method} ${path}: ${status} ${engineMessage(text)}`, status));
          try {
            resolve((text.trim() === '' ? null : JSON.parse(text)) as T);
          } catch {
            resolve(text as T);
          }
        });
      });
      req.on('timeout', () => req.destroy(new EngineError(`${method} ${path}: no answer from the Engine in ${timeoutMs} ms (${this.o.socketPath})`, 0)));
      req.on('error', (err) => reject(err instanceof EngineError ? err : new EngineError(`${method} ${path}: ${err.message} (${this.o.socketPath})`, 0)));
      req.end();
    });
  }

  /**
   * The event stream (newline-delimited JSON), filtered as given. `onEvent`
   * gets each event; `onEnd` runs once when the stream ends or fails (the
   * caller reconnects). Returns the stopper.
   */
  events(filters: Record<string, string[]>, onEvent: (e: EngineEvent) => void, onEnd: (err: Error | null) => void): () => void {
    let ended = false;
    const end = (err: Error | null): void => {
      if (ended) return;
      ended = true;
      onEnd(err);
    };
    const path = `/events?filters=${encodeURIComponent(JSON.stringify(filters))}`;
    const req = request({ socketPath: this.o.socketPath, method: 'GET', path, headers: { host: 'docker' } }, (res: IncomingMessage) => {
      if ((res.statusCode ?? 0) >= 400) return end(new EngineError(`GET /events: ${res.statusCode}`, res.statusCode ?? 0));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line === '') continue;
          try {
            onEvent(JSON.parse(line) as EngineEvent);
          } catch {
            /* a line that is not JSON is not an event */
          }
        }
      });
      res.on('end', () => end(null));
      res.on('error', (err) => end(err));
    });
    req.on('error', (err) => end(err));
    req.end();
    return () => {
      ended = true;
      req.destroy();
    };
  }
}

function engineMessage(text: string): string {
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? text).trim();
  } catch {
    return text.trim();
  }
}

/** What the Engine's /events stream sends for a container. */
export interface EngineEvent {
  readonly Type?: string;
  readonly Action?: string;
  readonly id?: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> };
  readonly timeNano?: number;
}

/** The part of GET /containers/{id}/json the monitor reads. */
export interface ContainerInspect {
  readonly Id: string;
  readonly Name: string;
  readonly RestartCount: number;
  readonly State: {
    readonly Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
    readonly Running: boolean;
    readonly Paused: boolean;
    readonly Restarting: boolean;
    readonly Pid: number;
    readonly ExitCode: number;
    readonly StartedAt: string;
    readonly Health?: { readonly Status: 'starting' | 'healthy' | 'unhealthy' | 'none'; readonly FailingStreak: number; readonly Log?: readonly { readonly ExitCode: number; readonly Output: string }[] };
  };
  readonly Config: { readonly Labels: Readonly<Record<string, string>> | null; readonly Hostname: string };
}

/** The part of GET /containers/json the monitor reads. */
export interface ContainerSummary {
  readonly Id: string;
  readonly Labels: Readonly<Record<string, string>> | null;
  readonly State: string;
}
