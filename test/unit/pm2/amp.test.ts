import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, type Frame } from '../../../src/pm2/amp.js';

// The wire format against the implementation pm2 itself uses (amp-message,
// resolved from pm2's own location): what we write, pm2 reads, and back.

const fromPm2 = createRequire(createRequire(import.meta.url).resolve('pm2'));
const Message = fromPm2('amp-message') as new (args: unknown) => { args: unknown[]; toBuffer(): Buffer };

function read(chunks: Buffer[]): Frame[] {
  const out: Frame[] = [];
  const r = new FrameReader((f) => out.push(f));
  for (const c of chunks) r.push(c);
  return out;
}

describe('amp frames', () => {
  it('encodes what amp-message decodes, and decodes what it encodes', () => {
    const args = [{ type: 'call', method: 'getMonitorData', args: [{}] }, '1234:7', null, [1, 'two']];
    expect(new Message(encodeFrame(args)).args).toEqual(args);
    const [f] = read([new Message(args).toBuffer()]);
    expect([0, 1, 2, 3].map((i) => f!.value(i))).toEqual(args);
    expect(f!.string(1)).toBe('1234:7');
    expect(f!.string(0)).toBeNull(); // JSON, not a string: not parsed by string()
  });

  it('reassembles frames split at every byte, and splits frames sharing a chunk', () => {
    const a = encodeFrame(['log:out', { data: 'x'.repeat(1000) }]);
    const b = encodeFrame(['process:event', { event: 'exit', process: { name: 'api' } }]);
    const both = Buffer.concat([a, b]);
    const bytewise = read([...both].map((x) => Buffer.from([x])));
    const whole = read([both]);
    for (const frames of [bytewise, whole]) {
      expect(frames.map((f) => f.string(0))).toEqual(['log:out', 'process:event']);
      expect(frames[1]!.value(1)).toEqual({ event: 'exit', process: { name: 'api' } });
    }
  });

  it('hands over a large reply arriving in many chunks as one frame', () => {
    const big = encodeFrame([{ args: [Array.from({ length: 2000 }, (_, i) => ({ pm_id: i, env: 'y'.repeat(100) }))] }, '1:1']);
    const chunks: Buffer[] = [];
    for (let i = 0; i < big.length; i += 65_536) chunks.push(big.subarray(i, i + 65_536));
    const frames = read(chunks);
    expect(frames).toHaveLength(1);
    expect((frames[0]!.value(0) as { args: unknown[][] }).args[0]).toHaveLength(2000);
  });

  it('refuses more than 15 arguments, which the header cannot count', () => {
    expect(() => encodeFrame(Array.from({ length: 16 }, () => 1))).toThrow(/at most 15 arguments, got 16/);
  });
});
