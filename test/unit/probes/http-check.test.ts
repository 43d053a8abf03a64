import { describe, expect, it } from 'vitest';
import { checkBody, fieldAt, needsBody } from '../../../src/probes/http-check.js';

describe('fieldAt', () => {
  const doc = { status: 'ok', db: { up: true, lag: 0 }, checks: [{ ok: false }] };
  it('walks dot paths through objects and arrays', () => {
    expect(fieldAt(doc, 'status')).toBe('ok');
    expect(fieldAt(doc, 'db.lag')).toBe(0);
    expect(fieldAt(doc, 'checks.0.ok')).toBe(false);
  });
  it('is undefined for a missing step, a scalar in the way, or an inherited key', () => {
    expect(fieldAt(doc, 'db.nope')).toBeUndefined();
    expect(fieldAt(doc, 'status.length')).toBeUndefined();
    expect(fieldAt(doc, 'constructor')).toBeUndefined();
    expect(fieldAt(null, 'a')).toBeUndefined();
  });
});

describe('checkBody', () => {
  it('needs a body only when something in it is expected', () => {
    expect(needsBody({})).toBe(false);
    expect(needsBody({ expectBody: '' })).toBe(true);
    expect(needsBody({ expectJson: { field: 'a' } })).toBe(true);
  });
  it('checks a substring', () => {
    expect(checkBody('all good', { expectBody: 'good' }, null)).toBeNull();
    expect(checkBody('all bad', { expectBody: 'good' }, null)).toBe('body does not contain "good"');
    expect(checkBody('x', { expectBody: 'good' }, '64 KiB')).toBe('first 64 KiB of the body do not contain "good"');
  });
  it('compares a JSON field deeply, and shows both values when it differs', () => {
    const e = (equals: unknown) => ({ expectJson: { field: 'v', equals } });
    expect(checkBody('{"v":{"a":[1,2]}}', e({ a: [1, 2] }), null)).toBeNull();
    expect(checkBody('{"v":1}', e('1'), null)).toBe('field v is 1, expected "1"');
    expect(checkBody('{"status":"degraded"}', { expectJson: { field: 'status', equals: 'ok' } }, null)).toBe('field status is "degraded", expected "ok"');
  });
  it('without equals, wants the field present and not null or false', () => {
    const e = { expectJson: { field: 'ok' } };
    expect(checkBody('{"ok":0}', e, null)).toBeNull();
    expect(checkBody('{"ok":false}', e, null)).toBe('field ok is false');
    expect(checkBody('{"ok":null}', e, null)).toBe('field ok is null');
    expect(checkBody('{}', e, null)).toBe('field ok missing from JSON body');
  });
  it('says invalid JSON, or that a cut-off body could not be parsed', () => {
    const e = { expectJson: { field: 'ok' } };
    expect(checkBody('{"ok": tru', e, null)).toBe('invalid JSON in body');
    expect(checkBody('{"ok": tru', e, '64 KiB')).toBe('body larger than 64 KiB, not parsed as JSON');
  });
  it('keeps long values short in reasons', () => {
    const reason = checkBody(JSON.stringify({ v: 'x'.repeat(500) }), { expectJson: { field: 'v', equals: 'ok' } }, null);
    expect(reason!.length).toBeLessThan(120);
  });
});
