import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { scanErrors } from '../../../src/ops/logs/scan.js';
import { tailFile } from '../../../src/ops/logs/tail.js';

// A 200 MB pm2 log (about 2.4 M lines): the scan streams it and the tail reads
// only its end, so resident memory grows by a few MB, not by the file's size.

const MB = 1024 * 1024;
const SIZE = 200 * MB;
const dir = mkdtempSync(join(tmpdir(), 'botstack-biglog-'));
const file = join(dir, 'api.err.log');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function generate(): Promise<{ lines: number; errors: number; start: number }> {
  const out = createWriteStream(file);
  const start = Date.parse('2024-05-01T00:00:00.000Z');
  let bytes = 0;
  let lines = 0;
  let errors = 0;
  while (bytes < SIZE) {
    const block: string[] = [];
    for (let i = 0; i < 1000; i++, lines++) {
      const stamp = new Date(start + lines * 10).toISOString().replace('Z', '+00:00');
      const bad = lines % 1000 === 999;
      if (bad) errors++;
      block.push(`${stamp}: ${bad ? 'ERROR:    something failed on request' : 'INFO:     127.0.0.1:50312 - "GET /health HTTP/1.1" 200 OK'} #${lines}\n`);
    }
    const text = block.join('');
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { lines, errors, start };
}

describe('log reading on a 200 MB file', () => {
  it('counts every error line by streaming, and tails/since from the end, with bounded memory', async () => {
    const g = await generate();
    expect(statSync(file).size).toBeGreaterThanOrEqual(SIZE);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await scanErrors(file, { keep: 3 });
    const scanMs = performance.now() - t0;
    const scanDelta = process.memoryUsage().rss - before;
    expect(r.counts.error).toBe(g.errors);
    expect(r.recent.map((l) => l.text.endsWith(`#${g.lines - 1}`))).toEqual([false, false, true]);

    const t1 = performance.now();
    const tail = await tailFile(file, { lines: 100 });
    const since = await scanErrors(file, { sinceMs: g.start + (g.lines - 5000) * 10 });
    const tailMs = performance.now() - t1;
    expect(tail).toHaveLength(100);
    expect(tail.at(-1)!.text.endsWith(`#${g.lines - 1}`)).toBe(true);
    expect(since.counts.error).toBe(5);
    expect(since.bytesScanned).toBeLessThan(MB);
    const delta = process.memoryUsage().rss - before;
    console.log(`200 MB scan: ${Math.round(scanMs)} ms (${Math.round(SIZE / MB / (scanMs / 1000))} MB/s), rss +${Math.round(scanDelta / MB)} MB; tail 100 + since-scan: ${Math.round(tailMs)} ms; rss delta overall ${Math.round(delta / MB)} MB`);
    // Loose: the file is 200 MB; reading it whole would add at least that.
    expect(delta).toBeLessThan(64 * MB);
  }, 180_000);
});
