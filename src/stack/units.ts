import { z } from 'zod';
import { parseDuration, parseSize } from './units-plain.js';

export { formatDuration, parseDuration, parseSize, toPm2Size } from './units-plain.js';

// Durations and sizes are written the way operators think ("15s", "512M") and
// normalised to numbers once, here, so nothing downstream parses strings.

// One transform over number|string, not a union of checked branches: zod reports a
// value that fails every branch as a bare "Invalid input".
export const duration = /* @__PURE__ */ z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? (Number.isInteger(v) && v >= 0 ? v : undefined) : parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)}: expected milliseconds or a number with ms, s, m or h, like "15s"` });
    return z.NEVER;
  }
  return ms;
});

const SIZE_HINT = 'expected bytes or a number with K, M or G, like "512M" or "1.5G"';

function toBytes(v: number | string, ctx: z.RefinementCtx): number {
  const bytes = typeof v === 'number' ? (Number.isInteger(v) ? v : undefined) : parseSize(v);
  if (bytes === undefined || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: `invalid size ${JSON.stringify(v)}: expected bytes or a number with K, M or G, like "512M" or "1.5G"` });
    return z.NEVER;
  }
  return bytes;
}

export const size = /* @__PURE__ */ z.union([z.number(), z.string()]).transform(toBytes);

/**
 * A size, or false for "no limit". One transform rather than a union with `size`,
 * so a bad size keeps its own message instead of zod's bare "Invalid input".
 */
export const sizeOrOff = /* @__PURE__ */ z.union([z.literal(false), z.number(), z.string()]).transform((v, ctx) => (v === false ? false : toBytes(v, ctx)));

/** A duration with a floor, saying why the floor exists (pm2 drops or rejects smaller values). */
export const durationAtLeast = (minMs: number, why: string) =>
  duration.refine((ms) => ms >= minMs, { message: `must be at least ${minMs} ms: ${why}`, abort: true });
