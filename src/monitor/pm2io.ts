import { createRequire } from 'node:module';
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

export function pm2IoSink(): IoSink {
  if (!initialised) {
    // Under pm2, its process container has already loaded and initialised its
    // bundled copy and put it on the global symbol @pm2/io itself checks; our
    // require would load a second copy (~2 MiB) only to hand back that one.
    const loaded = (globalThis as Record<symbol, unknown>)[Symbol.for('@pm2/io')] as Pm2Io | undefined;
    const io = loaded ?? (createRequire(import.meta.url)('@pm2/io') as Pm2Io);
    io.init({
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
    },
  };
}
