import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { Cleanup } from '../../../helpers/cleanup.js';
import { MONGOD_STANDIN } from '../../../helpers/project.js';

// The MongoDB wire-protocol stand-in as a child process on a given port. It is
// killed by PID when the test finishes, registered before we wait on it.

export interface Standin {
  readonly pid: number;
  /** SIGKILL, then wait for the exit: the port is free when this resolves. */
  kill(): Promise<void>;
  /** SIGUSR2 flips the stand-in between answering and hanging. */
  toggleHang(): Promise<void>;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));

/** Resolves when the child prints `line`; rejects if it exits first. */
function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!out.includes(line)) return;
      out = '';
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`mongod stand-in exited (${code}) before "${line}"`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function startStandin(port: number, opts: { hang?: boolean } = {}): Promise<Standin> {
  const cleanup = new Cleanup();
  onTestFinished(() => cleanup.run());
  const dbpath = mkdtempSync(join(tmpdir(), 'botstack-standin-'));
  cleanup.add(() => rmSync(dbpath, { recursive: true, force: true }));
  const args = [MONGOD_STANDIN, '--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dbpath, ...(opts.hang ? ['--hang'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = async () => {
    if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    await exited(child);
  };
  cleanup.add(kill);
  await waitForLine(child, 'waiting for connections');
  const toggleHang = async () => {
    const flipped = waitForLine(child, 'hanging=');
    process.kill(child.pid!, 'SIGUSR2');
    await flipped;
  };
  return { pid: child.pid!, kill, toggleHang };
}
