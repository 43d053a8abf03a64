import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Gauge, IoSink, Reply } from './sink.js';

// The real @pm2/io sink. Under pm2, require('@pm2/io') may resolve to pm2's
// bundled copy rather than ours, so only the small API both share is used:
// init, metric().set, action, destroy. Deliberate choices, after PM2_NOTES:
// - tracing and profiling off: OpenTelemetry errors, an inspector session and
//   memory we do not need; eventLoop/v8/http/runtime metrics off (eventLoop
//   has crashed apps on Node 24; http patches the module our probes use).
// - catchExceptions off: the monitor's main decides what an uncaught error
//   does (it exits, and pm2 restarts it) instead of @pm2/io swallowing it.
// - init once: a second init leaves handlers that keep a broken process alive.
// - action handlers are given an exact arity: @pm2/io picks (reply) or
//   (param, reply) by `handler.length`, so wrappers never use default params.

interface Pm2Io {
  init(config: object): unknown;
  metric(config: { name: string; unit?: string }): Gauge | undefined;
  action(name: string, handler: (...args: never[]) => void): void;
  destroy(): void;
}

let initialised: Pm2Io | undefined;
let flushMetrics: (() => void) | undefined;

/**
 * @pm2/io, initialised once. Under pm2, its process container has usually
 * loaded and initialised its bundled copy already and put it on the global
 * symbol @pm2/io checks; our require would load a second copy (~2 MiB) only to
 * hand back that one. The monitor app is started with `pmx=false` instead
 * (stack/compile.ts), so no copy is loaded before ours: that first, default
 * init starts timers (an error cache's 1 s sweep, two http meters, event-loop
 * and v8 samplers) which a second init does not stop, each a wake-up of its own.
 * pm2's copy's class is then taken without its index, which would do that
 * same default init on require.
 */
function loadIo(): Pm2Io {
  const loaded = (globalThis as Record<symbol, unknown>)[Symbol.for('@pm2/io')] as Pm2Io | undefined;
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  try {
    // pm2's bundled copy, the one its container would have loaded (and not ours: more modules, more MiB).
    const PMX = require(join(dirname(require.resolve('pm2/package.json')), 'modules', 'pm2-io-bpm', 'pmx.js')) as new () => Pm2Io;
    return new PMX();
  } catch {
    return require('@pm2/io') as Pm2Io;
  }
}

/**
 * Runs `init`, keeping @pm2/io's two timers off their own wake-ups: the metrics
 * send (every 990 ms, so it drifts across the monitor's 1 s grid and wakes it
 * once more a second) becomes flushMetrics, which the monitor calls on its grid
 * right after setting the gauges; the 3 s orphan check (it lets a process
 * whose only handles are pm2's pipe exit; the monitor always has more) goes.
 */
function initOffGrid(io: Pm2Io, config: object): void {
  const arm = globalThis.setInterval;
  const armed: { fn: () => void; ms: number; t: NodeJS.Timeout }[] = [];
  globalThis.setInterval = ((fn: () => void, ms?: number, ...rest: unknown[]) => {
    const t = arm(fn, ms, ...rest) as unknown as NodeJS.Timeout;
    armed.push({ fn, ms: ms ?? 0, t });
    return t;
  }) as typeof setInterval;
  try {
    io.init(config);
  } finally {
    globalThis.setInterval = arm;
  }
  const send = armed.find((a) => a.ms === 990);
  if (send) {
    clearInterval(send.t);
    flushMetrics = send.fn;
  }
  for (const a of armed) if (a.ms === 3000) clearInterval(a.t);
}

export function pm2IoSink(): IoSink {
  if (!initialised) {
    const io = loadIo();
    initOffGrid(io, {
      // `tracing: false` is read as the default config, which is enabled: pm2's copy then
      // loads OpenTelemetry if installed (it patches http, which the probes use) and
      // logs "[PM2][ERROR] OpenTelemetry packages not installed" when not.
      tracing: { enabled: false },
      profiling: false,
      catchExceptions: false,
      metrics: { eventLoop: false, v8: false, http: false, runtime: false, network: false },
    });
    initialised = io;
  }
  const io = initialised;
  return {
    flush() {
      flushMetrics?.();
    },
    gauge(name, unit) {
      // metric() returns undefined when handed a value function: never pass one.
      const g = io.metric(unit === undefined ? { name } : { name, unit });
      return g ?? { set: () => undefined };
    },
    action(name, handler) {
      io.action(name, (reply: Reply) => handler(reply));
    },
    actionWithParam(name, handler) {
      io.action(name, (param: unknown, reply: Reply) => handler(param, reply));
    },
    close() {
      io.destroy();
      initialised = undefined;
      flushMetrics = undefined;
    },
  };
}
