#!/usr/bin/env node
// A MongoDB stand-in that speaks enough of the wire protocol (OP_MSG and the
// legacy OP_QUERY handshake) for the official driver to connect and `ping`.
// No MongoDB server can be installed on these machines; this lets the mongo
// probe run its real driver code. It takes mongod's own flags:
//   --port N --bind_ip HOST --dbpath DIR
// and, for tests:
//   --flush-ms N   on SIGINT/SIGTERM, take N ms to "flush" before exiting, then
//                  write <dbpath>/clean-shutdown (what a careful stop preserves)
//   --hang         accept connections and never answer (a hung database)
// SIGUSR2 toggles hanging at run time.
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { BSON } = require('bson');

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const port = Number(opt('--port', '27017'));
const host = opt('--bind_ip', '127.0.0.1');
const dbpath = opt('--dbpath', join(process.cwd(), 'data'));
const flushMs = Number(opt('--flush-ms', '0'));
let hanging = argv.includes('--hang');

mkdirSync(dbpath, { recursive: true });
rmSync(join(dbpath, 'clean-shutdown'), { force: true });
const journal = join(dbpath, 'journal.log');
let requestId = 1;
let pending = 0;

const hello = () => ({
  helloOk: true, ismaster: true, isWritablePrimary: true, maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000, maxWriteBatchSize: 100_000, localTime: new Date(),
  logicalSessionTimeoutMinutes: 30, connectionId: 1, minWireVersion: 0, maxWireVersion: 21, readOnly: false, ok: 1,
});

function reply(cmd) {
  const name = Object.keys(cmd)[0]?.toLowerCase();
  if (name === 'hello' || name === 'ismaster') return hello();
  if (name === 'ping' || name === 'endsessions') return { ok: 1 };
  if (name === 'buildinfo') return { version: '7.0.0-standin', ok: 1 };
  if (name === 'insert') {
    pending += cmd.documents?.length ?? 0;
    return { n: cmd.documents?.length ?? 0, ok: 1 };
  }
  return { ok: 0, errmsg: `no such command: '${Object.keys(cmd)[0]}'`, code: 59, codeName: 'CommandNotFound' };
}

function opMsg(responseTo, doc) {
  const body = BSON.serialize(doc);
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + body.length, 0);
  header.writeInt32LE(requestId++, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header.subarray(0, 20), Buffer.from([0]), body]);
}

function opReply(responseTo, doc) {
  const body = BSON.serialize(doc);
  const header = Buffer.alloc(36);
  header.writeInt32LE(36 + body.length, 0);
  header.writeInt32LE(requestId++, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(1, 12);
  header.writeInt32LE(0, 16); // responseFlags
  header.writeBigInt64LE(0n, 20); // cursorID
  header.writeInt32LE(0, 28); // startingFrom
  header.writeInt32LE(1, 32); // numberReturned
  return Buffer.concat([header, body]);
}

function handle(sock, msg) {
  const reqId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === 2013) {
    const doc = BSON.deserialize(msg.subarray(21, 21 + msg.readInt32LE(21)));
    sock.write(opMsg(reqId, reply(doc)));
  } else if (opCode === 2004) {
    let off = 20;
    while (msg[off] !== 0) off++; // fullCollectionName (cstring)
    off += 1 + 8; // skip NUL, numberToSkip, numberToReturn
    const doc = BSON.deserialize(msg.subarray(off, off + msg.readInt32LE(off)));
    sock.write(opReply(reqId, reply(doc)));
  }
}

const server = createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on('error', () => {});
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
      const len = buf.readInt32LE(0);
      const msg = buf.subarray(0, len);
      buf = buf.subarray(len);
      if (!hanging) handle(sock, msg);
    }
  });
});

server.listen(port, host, () => {
  process.stdout.write(`mongod-standin: waiting for connections on ${host}:${port} dbpath=${dbpath}\n`);
});

process.on('SIGUSR2', () => {
  hanging = !hanging;
  process.stdout.write(`mongod-standin: hanging=${hanging}\n`);
});

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`mongod-standin: ${signal} received, flushing for ${flushMs} ms\n`);
  server.close();
  const started = Date.now();
  // Flush in small steps, as a database writes its journal; a SIGKILL midway leaves no marker.
  const step = () => {
    appendFileSync(journal, `flush ${Date.now() - started}ms pending=${pending}\n`);
    if (Date.now() - started < flushMs) return void setTimeout(step, Math.min(100, flushMs));
    writeFileSync(join(dbpath, 'clean-shutdown'), `${new Date().toISOString()} pending=${pending}\n`);
    process.stdout.write('mongod-standin: clean shutdown\n');
    process.exit(0);
  };
  step();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
