import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileHistoryStore } from '../../../src/monitor/history-store.js';
import { RestartHistory } from '../../../src/monitor/history.js';

const HOUR = 3_600_000;
const NOW = 1_700_000_000_000;

describe('restart history across monitor restarts', () => {
  it('restores well-formed records in time order, drops malformed and expired ones, and keeps new ones after', () => {
    const h = new RestartHistory(24 * HOUR, 2000);
    const n = h.restore(
      [
        { name: 'api', at: NOW - 2 * HOUR, cause: 'crash', exitCode: 1, signal: null },
        { name: 'api', at: NOW - 3 * HOUR, cause: 'manual', exitCode: null, signal: 'SIGINT' },
        { name: 'api', at: NOW - 25 * HOUR, cause: 'crash', exitCode: 1, signal: null },
        { name: 'api', at: 'yesterday', cause: 'crash', exitCode: 1, signal: null },
        { name: 'api', at: NOW, cause: 'boredom', exitCode: 1, signal: null },
        null,
      ],
      NOW,
    );
    expect(n).toBe(3);
    expect(h.all().map((r) => [r.at, r.cause])).toEqual([[NOW - 3 * HOUR, 'manual'], [NOW - 2 * HOUR, 'crash']]);
    h.onEvent({ event: 'exit', name: 'api', pmId: 1, at: NOW, manually: false, exitCode: 2, signal: null });
    expect(h.all().map((r) => r.at)).toEqual([NOW - 3 * HOUR, NOW - 2 * HOUR, NOW]);
    expect(h.restore('not a list', NOW)).toBe(0);
  });

  it('saves whole and loads back; a corrupt or missing file is an empty history, said once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botstack-history-'));
    const path = join(dir, 'botstack-restarts.json');
    const logs: string[] = [];
    const store = fileHistoryStore(path, (l) => logs.push(l));
    expect(store.load()).toEqual([]);
    const rec = { name: 'web', at: NOW, cause: 'heal' as const, exitCode: 0, signal: null };
    store.save([rec]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([rec]);
    expect(store.load()).toEqual([rec]);
    writeFileSync(path, '[{"name": "web", ');
    expect(store.load()).toEqual([]);
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^monitor: ignoring restart history ${path}: not JSON .*; starting a new one$`))]);
  });
});
