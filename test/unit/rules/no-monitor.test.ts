import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../cli/check-run.js';

// no-monitor: a stack with no health monitor (it said `monitor: false`) is
// warned about with the fix; the schema adds one to every other stack.

function stack(extra: string, services = `{ name: 'a', kind: 'command', command: '/bin/sleep', args: ['100'], limits: { memory: '64M' } }`): string {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-nomon-'));
  const file = join(dir, 'ecosystem.config.ts');
  writeFileSync(file, `import { defineStack } from 'botstack';\n\nexport default defineStack({\n  name: 'x',\n  root: '.',\n${extra}  services: [${services}],\n});\n`);
  return file;
}

const findings = (stdout: string) => (JSON.parse(stdout) as { findings: { rule: string; line: number | null; severity: string; message: string; fix: string }[] }).findings;

describe('check: no-monitor', () => {
  it('warns on monitor: false at its line, with the fix, and still exits 0', async () => {
    const file = stack('  monitor: false,\n');
    const r = await check([file, '--json']);
    expect(r.code).toBe(0);
    expect(findings(r.stdout)).toEqual([
      {
        rule: 'no-monitor',
        severity: 'warning',
        file,
        line: 6,
        service: null,
        message: 'stack x runs without the health monitor (monitor: false): a service that hangs while its process lives is never probed, healed or alerted on; pm2 only restarts a process that exits',
        fix: "remove `monitor: false` (botstack then adds the monitor), or add { name: 'monitor', kind: 'monitor' } to services",
      },
    ]);
  });

  it('says nothing for a stack that declares no monitor (it gets one) or declares its own', async () => {
    for (const file of [stack(''), stack('', `{ name: 'a', kind: 'command', command: '/bin/sleep', args: ['100'], limits: { memory: '64M' } }, { name: 'watch', kind: 'monitor' }`)]) {
      const r = await check([file, '--json']);
      expect(r).toEqual({ code: 0, stdout: '{"findings":[]}\n', stderr: '' });
    }
  });
});
