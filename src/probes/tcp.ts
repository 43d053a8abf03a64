import { connect } from 'node:net';
import { startDeadline } from './deadline.js';
import { socketErrorReason } from './net-errors.js';
import { dialHost, down, hostPort, up } from './result.js';
import type { Probe, ProbeResult } from './types.js';

// Connect, then close at once: proves something accepts connections, nothing more.

export interface TcpProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

export function tcpProbe(o: TcpProbeOptions): Probe {
  const host = dialHost(o.host);
  return (signal) =>
    new Promise<ProbeResult>((resolve) => {
      const dl = startDeadline(signal, o.timeoutMs);
      if (dl.signal.aborted) {
        dl.dispose();
        return resolve(down(0, `${dl.expired()} (not started)`));
      }
      const sock = connect({ host, port: o.port });
      let done = false;
      const onAbort = () => finish(down(dl.elapsed(), `${dl.expired()} (connecting to ${hostPort(host, o.port)})`));
      const finish = (r: ProbeResult) => {
        if (done) return;
        done = true;
        dl.signal.removeEventListener('abort', onAbort);
        dl.dispose();
        sock.destroy();
        resolve(r);
      };
      dl.signal.addEventListener('abort', onAbort, { once: true });
      sock.on('error', (err) => finish(down(dl.elapsed(), socketErrorReason(err, host, o.port))));
      sock.on('connect', () => finish(up(dl.elapsed(), `connected to ${hostPort(host, o.port)}`)));
    });
}
