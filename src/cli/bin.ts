import { main } from './main.js';

// The process entry: wires the real terminal to main() and exits with its code.
const ctl = new AbortController();
process.once('SIGINT', () => ctl.abort(new Error('interrupted')));
process.once('SIGTERM', () => ctl.abort(new Error('terminated')));
const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: ctl.signal,
  isTTY: process.stdout.isTTY === true,
});
process.exitCode = code;
// pm2's client keeps sockets open; the answer is out, so do not wait for them.
setTimeout(() => process.exit(code), 50).unref();
