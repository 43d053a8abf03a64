import { z } from 'zod';

// Durations and sizes are written the way operators think ("15s", "512M") and
// normalised to numbers once, here, so nothing downstream parses strings.

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2] as keyof typeof DURATION_UNITS]);
}

// One transform over number|string, not a union of checked branches: zod reports a
// value that fails every branch as a bare "Invalid input".
export const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? (Number.isInteger(v) && v >= 0 ? v : undefined) : parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)}: expected milliseconds or a number with ms, s, m or h, like "15s"` });
    return z.NEVER;
  }
  return ms;
});

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|K|KB|M|MB|G|GB)?$/i;
const SIZE_UNITS: Record<string, number> = { B: 1, K: 1024, KB: 1024, M: 1024 ** 2, MB: 1024 ** 2, G: 1024 ** 3, GB: 1024 ** 3 };

export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (SIZE_UNITS[(m[2] ?? 'B').toUpperCase()] ?? 1));
}

const SIZE_HINT = 'expected bytes or a number with K, M or G, like "512M" or "1.5G"';

function toBytes(v: number | string, ctx: z.RefinementCtx): number {
  const bytes = typeof v === 'number' ? (Number.isInteger(v) ? v : undefined) : parseSize(v);
  if (bytes === undefined || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: `invalid size ${JSON.stringify(v)}: expected bytes or a number with K, M or G, like "512M" or "1.5G"` });
    return z.NEVER;
  }
  return bytes;
}

export const size = z.union([z.number(), z.string()]).transform(toBytes);

/**
 * A size, or false for "no limit". One transform rather than a union with `size`,
 * so a bad size keeps its own message instead of zod's bare "Invalid input".
 */
export const sizeOrOff = z.union([z.literal(false), z.number(), z.string()]).transform((v, ctx) => (v === false ? false : toBytes(v, ctx)));

/** A duration with a floor, saying why the floor exists (pm2 drops or rejects smaller values). */
export const durationAtLeast = (minMs: number, why: string) =>
  duration.refine((ms) => ms >= minMs, { message: `must be at least ${minMs} ms: ${why}`, abort: true });

/** pm2 accepts only ^\d+(G|M|K)?$ for max_memory_restart and aborts the whole file otherwise. */
export function toPm2Size(bytes: number): string {
  const mib = 1024 ** 2;
  if (bytes % mib === 0) return `${bytes / mib}M`;
  return `${Math.max(1, Math.round(bytes / 1024))}K`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${Math.floor((ms % 60_000) / 1000)}s`;
  const h = Math.floor(ms / 3_600_000);
  if (h < 48) return `${h}h${Math.floor((ms % 3_600_000) / 60_000)}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}
