import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pm2App } from '../../src/stack/compile.js';
import { pidAlive } from '../../src/util/proctree.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { REPO } from '../helpers/project.js';
import { compileStack, mustLoad } from '../helpers/stack.js';
import { makeVenv, SYSTEM_PYTHON } from '../helpers/venv.js';

// One printed line is one timestamped log line. pm2 sets PYTHONUNBUFFERED=1
// for every Python interpreter, which makes print("a", i, "b") six writes, and
// pm2 stamps each chunk it reads as a line. botstack's Python services are
// line-buffered instead (runtime/python/sitecustomize.py). Both are run here
// side by side, 10,000 prints each, while two CPU burners keep the machine busy.

const LINES = 10_000;
const PRINTER = join(REPO, 'test', 'fixtures', 'lines', 'printer.py');
/** pm2's stamp, as botstack's log_date_format writes it. */
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d: /;

function bodies(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => l.replace(STAMP, ''));
}

const expected = Array.from({ length: LINES }, (_, i) => `a ${i} b`);

describe('whole lines from Python services under pm2, on a busy machine', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let dir: string;
  const logOf = (name: string) => join(dir, 'logs', `${name}.out.log`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'botstack-lines-'));
    makeVenv(join(dir, 'venv'));
    for (let i = 0; i < 2; i++) {
      const burner = spawn(SYSTEM_PYTHON, ['-c', 'while True: pass'], { stdio: 'ignore' });
      cleanup.add(() => burner.pid && pidAlive(burner.pid) && process.kill(burner.pid, 'SIGKILL'));
    }
    d = await startPm2(cleanup);
    const printer = (name: string, extra: object = {}) => ({ name, kind: 'python' as const, script: PRINTER, env: { MARKER: join(dir, `${name}.ran`) }, ...extra });
    const stack = mustLoad({
      name: 'lines',
      root: dir,
      monitor: false,
      services: [
        printer('botstack'),
        printer('killed', { env: { MARKER: join(dir, 'killed.ran'), THEN: 'kill' } }),
        // A service with a secret starts through runtime/envexec.py, which execs Python again.
        printer('envexec', { secrets: ['SOME_TOKEN'] }),
      ],
    });
    const apps: Pm2App[] = compileStack(stack);
    // The control: the same script as a plain pm2 app, as people declare it; pm2 adds PYTHONUNBUFFERED=1.
    const plain = { ...apps[0]!, name: 'plain', out_file: logOf('plain'), error_file: join(dir, 'logs', 'plain.err.log'), env: { MARKER: join(dir, 'plain.ran') } };
    await d.client.start([...apps, plain]);
  }, 120_000);
  afterAll(() => cleanup.run());

  const printed = (name: string, last: string) =>
    waitFor(`${name} printed its ${LINES} lines`, () => (readFileSync(logOf(name), 'utf8').includes(last) ? true : undefined), { timeoutMs: 90_000, intervalMs: 200 });

  it('botstack: every one of 10,000 prints arrives as one stamped line, whole and in order', async () => {
    await printed('botstack', ': done\n');
    expect(bodies(logOf('botstack'))).toEqual([...expected, 'done']);
  }, 120_000);

  it('also through runtime/envexec.py (a service with secrets)', async () => {
    await printed('envexec', ': done\n');
    expect(bodies(logOf('envexec'))).toEqual([...expected, 'done']);
  }, 120_000);

  it('SIGKILLed right after: every line written before the last newline reached the log, once', async () => {
    await printed('killed', `: a ${LINES - 1} b\n`);
    await d.until('killed restarted once', (l) => (l.find((p) => p.name === 'killed')?.restarts ?? 0) >= 1);
    const got = bodies(logOf('killed'));
    expect(got.slice(0, LINES)).toEqual(expected);
    // The unfinished line was never written (it sat in the line buffer): nothing half-stamped follows.
    expect(got.slice(LINES)).toEqual([]);
  }, 120_000);

  it('control: PYTHONUNBUFFERED=1 alone (plain pm2) splits lines', async () => {
    await waitFor('plain finished', () => (readFileSync(logOf('plain'), 'utf8').includes('done') ? true : undefined), { timeoutMs: 90_000, intervalMs: 200 });
    const got = bodies(logOf('plain'));
    const split = got.filter((l) => !/^a \d+ b$/.test(l) && l !== 'done');
    console.log(`plain pm2: ${split.length} fragments in ${got.length} stamped lines for ${LINES} prints`);
    expect(split.length).toBeGreaterThan(0);
    expect(got).not.toEqual([...expected, 'done']);
  }, 120_000);
});
