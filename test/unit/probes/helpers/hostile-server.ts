import { createServer, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

// A raw TCP server on 127.0.0.1:0 that misbehaves as told. Raw, not node:http,
// so a test controls every byte (1 byte/s, garbage, a 100 MB body). It is
// closed, with any socket it still holds, when the test finishes.

export interface HostileServer {
  readonly port: number;
  readonly url: (path?: string) => string;
  /** Connections the server still holds open. */
  openSockets(): number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Ends every connection it holds (a FIN, as an idle timeout does). */
  closeAll(): void;
}

export async function hostileServer(onConnection: (sock: Socket) => void): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const srv = createServer((sock) => {
    accepted++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    onConnection(sock);
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve());
  });
  onTestFinished(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  });
  const addr = srv.address();
  if (addr === null || typeof addr !== 'object') throw new Error('hostile server has no port');
  return {
    port: addr.port,
    url: (path = '/health') => `http://127.0.0.1:${addr.port}${path}`,
    openSockets: () => sockets.size,
    accepted: () => accepted,
    closeAll: () => {
      for (const s of sockets) s.end();
    },
  };
}

/** Calls `then` once the request's headers have arrived, as a real server would. */
export function afterRequest(sock: Socket, then: () => void): void {
  let seen = '';
  const onData = (chunk: Buffer) => {
    seen += chunk.toString('latin1');
    if (!seen.includes('\r\n\r\n')) return;
    sock.off('data', onData);
    then();
  };
  sock.on('data', onData);
}

/** A complete HTTP/1.1 response with a body, then close. */
export function respond(sock: Socket, status: number, body: string, type = 'application/json'): void {
  const head = `HTTP/1.1 ${status} X\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
  sock.end(head + body);
}

/** Writes `text` one byte per `everyMs`; the timer stops when the socket closes. */
export function dribble(sock: Socket, text: string, everyMs = 1000): void {
  let i = 0;
  const timer = setInterval(() => {
    if (i >= text.length || sock.destroyed) return clearInterval(timer);
    sock.write(text[i++]!);
  }, everyMs);
  sock.on('close', () => clearInterval(timer));
}

/**
 * Streams a `totalBytes` body with backpressure, stopping when the peer goes.
 * Returns a counter of bytes actually handed to the socket.
 */
export function streamHugeBody(sock: Socket, totalBytes: number): () => number {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  sock.write(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${totalBytes}\r\n\r\n`);
  const pump = () => {
    while (sent < totalBytes && !sock.destroyed) {
      sent += chunk.length;
      if (!sock.write(chunk)) return void sock.once('drain', pump);
    }
  };
  pump();
  return () => sent;
}
