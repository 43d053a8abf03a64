import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unresolvedPaths } from '../../../../src/ops/startup/dump.js';

// A saved app whose script, interpreter or folder is gone would not come back at
// boot: botstack startup names each one.

describe('unresolvedPaths', () => {
  it('names every saved absolute path that does not exist, and nothing that does or is a bare command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botstack-dump-'));
    writeFileSync(join(dir, 'main.js'), '');
    const saved = [
      { name: 'monitor', pm_exec_path: join(dir, 'main.js'), exec_interpreter: 'node', pm_cwd: dir },
      { name: 'api', pm_exec_path: '/gone/botstack/runtime/envexec.py', exec_interpreter: '/srv/bot/venv/bin/python', pm_cwd: dir },
    ];
    expect(unresolvedPaths(saved)).toEqual(["api's script /gone/botstack/runtime/envexec.py does not exist", "api's interpreter /srv/bot/venv/bin/python does not exist"]);
  });
});
