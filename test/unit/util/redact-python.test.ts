import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRedactor, type SecretValue } from '../../../src/util/redact.js';
import { REPO } from '../../helpers/project.js';

// The Python hook (runtime/python/_botstack_redact.py) and util/redact.ts are
// one rule written twice: the same secrets and lines give the same output.

const TOKEN = '7412345678:AAHk2xQ9vL_mZpR8tYw3NcD5fGjK1sE0uOb';
const SECRETS: SecretValue[] = [
  { key: 'BOT_TOKEN', value: TOKEN },
  { key: 'DB_PASSWORD', value: 'correct-horse-battery-staple' },
  { key: 'PASS', value: 'hunter2x' },
  { key: 'PORT', value: '8000' },
  { key: 'APP_ENV', value: 'production' },
  { key: 'HOOK', value: 'https://hooks.example.com/services/T0001/B0002/XyZsecretPart' },
  { key: 'DB', value: 'mongodb://bot:s3cr3t-pass@127.0.0.1:27017/bot' },
];

function lines(): string[] {
  const fixed = [
    `whole ${TOKEN} end`, `Token used: ${TOKEN.slice(0, 20)}...`, `eleven ${TOKEN.slice(3, 14)}`, `twelve ${TOKEN.slice(3, 15)}`,
    'login hunter2x; not hunter2xx nor xhunter2x; éhunter2xé', 'port 8000 in production', `u=correct-horse-battery ${TOKEN}${TOKEN}`, 'nothing here', '', 'POST https://hooks.example.com/services/T0001/B0002/XyZsecretPart', 'to mongodb://bot:s3cr3t-pass@127.0.0.1:27017/bot',
    `«${TOKEN.slice(5, 40)}» пароль`,
  ];
  let seed = 7;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  const noise = 'abc :_-ABhunter2x8000';
  for (let i = 0; i < 300; i++) {
    let line = '';
    for (let j = rnd(4); j >= 0; j--) {
      const s = SECRETS[rnd(SECRETS.length)]!.value;
      const a = rnd(s.length);
      line += Array.from({ length: rnd(8) }, () => noise[rnd(noise.length)]).join('') + s.slice(a, a + 6 + rnd(30));
    }
    fixed.push(line);
  }
  return fixed;
}

describe('the Python hook redacts as util/redact.ts does', () => {
  it('gives the same output for the same secrets and lines', () => {
    const input = lines();
    const program = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(join(REPO, 'runtime/python'))})`,
      'import _botstack_redact as r',
      'data = json.load(sys.stdin)',
      'red = r.make_redactor([(s["key"], s["value"]) for s in data["secrets"]])',
      'json.dump([red(l) for l in data["lines"]], sys.stdout)',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', program], { input: JSON.stringify({ secrets: SECRETS, lines: input }) }).toString()) as string[];
    const ts = makeRedactor(SECRETS);
    expect(out).toEqual(input.map(ts));
  });
});
