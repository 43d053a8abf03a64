import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dotenvOverrides } from '../../../../src/ops/doctor/dotenv.js';
import type { DoctorContext } from '../../../../src/ops/doctor/types.js';
import { load, svc } from '../../stack/given.js';

// doctor's reading of a service's own load_dotenv(…, override=True): the same as check's.

const root = mkdtempSync(join(tmpdir(), 'bs-doctor-dotenv-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ctxFor = (stack: ReturnType<typeof load>) => ({ stack }) as unknown as DoctorContext;

describe('doctor: a service .env loaded with override', () => {
  it('api_v2/.env loaded with override=True by api_v2/app.py: a warning naming both; control: override=False is ok', () => {
    mkdirSync(join(root, 'api_v2'), { recursive: true });
    writeFileSync(join(root, 'api_v2', '.env'), 'MONGO_URL=mongodb://elsewhere\n');
    writeFileSync(join(root, 'api_v2', 'app.py'), 'from dotenv import load_dotenv\nload_dotenv(".env", override=True)\n');
    const stack = load([svc.api], { stack: { root } });
    const [r] = dotenvOverrides(ctxFor(stack));
    expect(r?.level).toBe('warn');
    expect(r?.message).toContain('api_v2/.env');
    expect(r?.message).toContain('api_v2/app.py line 2');
    writeFileSync(join(root, 'api_v2', 'app.py'), 'from dotenv import load_dotenv\nload_dotenv(".env")\n');
    expect(dotenvOverrides(ctxFor(stack)).map((x) => x.level)).toEqual(['ok']);
  });
});
