// The I/O floor of probing the 4-service stack: a bare node loop that, once a
// second on the whole second, sends the same requests the monitor does over
// kept sockets (a fixed HTTP/1.1 GET to each HTTP target, an OP_MSG ping to
// mongod) and reads the answers, and stats the bot's heartbeat file. No
// checks, no state, no pm2. What a monitor costs above this is its own work.
//   node scripts/bench-monitor-floor.mjs '{"http":[[port,"/health"],...],"mongo":port,"file":"path"}'
import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { createRequire } from 'node:module';

const { BSON } = createRequire(import.meta.url)('bson');
const cfg = JSON.parse(process.argv[2]);
const http = cfg.http.map(([port, path]) => {
  const req = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: botstack-probe\r\nConnection: keep-alive\r\n\r\n`);
  let sock = null;
  return () => {
    if (!sock || sock.destroyed) {
      sock = connect({ port, host: '127.0.0.1', noDelay: true });
      sock.on('error', () => sock.destroy());
      sock.on('data', () => undefined);
    }
    sock.write(req);
  };
});
let id = 1;
function ping() {
  const body = BSON.serialize({ ping: 1, $db: 'admin' });
  const head = Buffer.alloc(21);
  head.writeInt32LE(21 + body.length, 0);
  head.writeInt32LE(id++, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(2013, 12);
  return Buffer.concat([head, body]);
}
let mongo = null;
const probeMongo = () => {
  if (!mongo || mongo.destroyed) {
    mongo = connect({ port: cfg.mongo, host: '127.0.0.1', noDelay: true });
    mongo.on('error', () => mongo.destroy());
    mongo.on('data', () => undefined);
  }
  mongo.write(ping());
};
const tick = () => {
  for (const p of http) p();
  probeMongo();
  try {
    statSync(cfg.file);
  } catch {
    /* not there yet */
  }
  setTimeout(tick, 1000 - (Date.now() % 1000));
};
tick();
