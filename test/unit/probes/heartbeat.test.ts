import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { heartbeatProbe } from '../../../src/probes/heartbeat.js';
import { expectNoLeaks, resourceCounts } from './helpers/leaks.js';

const never = new AbortController().signal;

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-heartbeat-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'bot.heartbeat');
}

describe('heartbeat probe', () => {
  it('is ok for a file touched within maxAge', async () => {
    const file = tempFile();
    writeFileSync(file, '');
    const base = resourceCounts();
    const result = await heartbeatProbe({ file, maxAgeMs: 30_000, timeoutMs: 10_000 })(never);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.detail).toMatch(/^heartbeat \d+\.\d s old$/);
    await expectNoLeaks(base);
  });

  it('fails for a stale file, saying how stale', async () => {
    const file = tempFile();
    writeFileSync(file, '');
    const at = Date.now() / 1000 - 95;
    utimesSync(file, at, at);
    const result = await heartbeatProbe({ file, maxAgeMs: 30_000, timeoutMs: 10_000 })(never);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(new RegExp(`^heartbeat file ${file} is 9[56] s old \\(max 30 s\\): the service stopped touching it$`));
  });

  it('fails for a missing file and points at the docs', async () => {
    const file = tempFile();
    const result = await heartbeatProbe({ file, maxAgeMs: 30_000, timeoutMs: 10_000 })(never);
    expect(result).toMatchObject({ ok: false, reason: `heartbeat file ${file} does not exist; is the service's heartbeat task running? (docs/heartbeat.md)` });
  });

  it('uses the given clock, and treats a future mtime as fresh', async () => {
    const file = tempFile();
    writeFileSync(file, '');
    const now = Date.now();
    const probe = (at: number) => heartbeatProbe({ file, maxAgeMs: 10_000, timeoutMs: 10_000, now: () => at })(never);
    expect((await probe(now + 60_000)).ok).toBe(false);
    expect((await probe(now - 60_000)).ok).toBe(true);
  });
});
