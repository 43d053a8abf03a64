// What the monitor shows through @pm2/io, as an interface: the real one wraps
// pm2's bundled @pm2/io (pm2io.ts), unit tests pass a recording fake.

export interface Gauge {
  set(value: number | string): void;
}

export type Reply = (value: unknown) => void;

export interface IoSink {
  gauge(name: string, unit?: string): Gauge;
  /** `pm2 trigger <app> <name>` */
  action(name: string, handler: (reply: Reply) => void): void;
  /** `pm2 trigger <app> <name> <param>` */
  actionWithParam(name: string, handler: (param: unknown, reply: Reply) => void): void;
  /** Sends the gauges' values now (the monitor calls it on its 1 s grid, after publishing); optional for fakes. */
  flush?(): void;
  close(): void;
}
