// Secrets out of every text botstack shows: log lines, alerts, reports. One
// rule, shared with runtime/python/sitecustomize.py:
//
// - A value of 12 characters or more: any run of 12 or more of its consecutive
//   characters is a leak (a Telegram token's 20-character prefix names the bot
//   and half its secret). The whole run, extended as far as it matches, becomes
//   `[redacted:KEY]`.
// - A value of 6 to 11 characters is replaced only whole, and only as a word
//   (no letter, digit or `_` on either side), so `hunter` leaves `hunters` be.
// - Shorter values, all-digit short values (ports, chat ids) and a few words
//   that are settings rather than secrets (`production`, `localhost`) are never
//   redacted: blanking every "8000" or "info" in a log makes it unreadable and
//   protects nothing.
//
// - A URL's scheme, host and port are not secret (every loopback URL shares
//   "http://127.0.0.1:"): only its user:password and what follows the host
//   (a webhook's path is its key) count, each by the rules above.
//
// Speed: this runs on every line `logs --follow` prints. Every 12-character
// window of every long value is indexed by a rolling hash into a bit table; a
// line is scanned once with the same rolling hash, and only a hit in the table
// costs a string compare. A line with no secret in it allocates nothing.

export const MIN_RUN = 12;
export const MIN_WHOLE = 6;

/** Values that are settings, not secrets, when short (under MIN_RUN). */
const NOT_SECRET = new Set(['production', 'development', 'staging', 'localhost', '127.0.0.1', '0.0.0.0', 'warning', 'critical']);

export type Redact = (text: string) => string;

export interface SecretValue {
  readonly key: string;
  readonly value: string;
}

interface Gram {
  readonly key: string;
  readonly value: string;
  /** Where this window starts in `value`. */
  readonly at: number;
}

const BASE = 31;
const TABLE_BITS = 16;
/** BASE ** (MIN_RUN - 1), mod 2**32: what the character leaving the window weighed. */
const OUT_WEIGHT = (() => {
  let w = 1;
  for (let i = 0; i < MIN_RUN - 1; i++) w = Math.imul(w, BASE);
  return w;
})();

const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

function hashAt(s: string, from: number): number {
  let h = 0;
  for (let i = from; i < from + MIN_RUN; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** Whether a short value is worth redacting at all (see the header). */
export function redactsWhole(value: string): boolean {
  return value.length >= MIN_WHOLE && !/^\d+$/.test(value) && !NOT_SECRET.has(value.toLowerCase());
}

/** Secrets from key -> value maps, later maps filling keys the earlier lack; empty values dropped. */
export function secretValues(...sources: readonly Readonly<Record<string, string | undefined>>[]): SecretValue[] {
  const seen = new Map<string, string>();
  for (const src of sources) for (const [key, value] of Object.entries(src)) if (value && !seen.has(key)) seen.set(key, value);
  return [...seen].map(([key, value]) => ({ key, value }));
}

const URL_ORIGIN = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

/** The parts of a value that are secret: all of it, or for a URL its userinfo and its path/query. */
export function secretParts(value: string): string[] {
  const m = URL_ORIGIN.exec(value);
  if (!m) return [value];
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  return [...(at >= 0 ? [authority.slice(0, at)] : []), value.slice(m[0].length)].filter((p) => p.length > 0);
}

export function makeRedactor(given: readonly SecretValue[]): Redact {
  const secrets = given.flatMap((s) => secretParts(s.value).map((value) => ({ key: s.key, value })));
  const long = secrets.filter((s) => s.value.length >= MIN_RUN);
  const short = secrets.filter((s) => s.value.length < MIN_RUN && redactsWhole(s.value));
  if (long.length === 0 && short.length === 0) return (text) => text;
  const grams = new Map<string, Gram[]>();
  const table = new Uint32Array(1 << (TABLE_BITS - 5));
  for (const s of long) {
    for (let at = 0; at + MIN_RUN <= s.value.length; at++) {
      const w = s.value.slice(at, at + MIN_RUN);
      const list = grams.get(w);
      if (list) list.push({ key: s.key, value: s.value, at });
      else grams.set(w, [{ key: s.key, value: s.value, at }]);
      const slot = hashAt(s.value, at) >>> (32 - TABLE_BITS);
      table[slot >>> 5]! |= 1 << (slot & 31);
    }
  }
  // Longest first, so a value that contains a shorter one wins the place.
  short.sort((a, b) => b.value.length - a.value.length);
  return (text) => {
    const hits: Hit[] = [];
    if (long.length > 0 && text.length >= MIN_RUN) scanRuns(text, grams, table, hits);
    for (const s of short) findWhole(text, s, hits);
    return hits.length === 0 ? text : apply(text, hits);
  };
}

interface Hit {
  start: number;
  end: number;
  key: string;
}

function scanRuns(text: string, grams: ReadonlyMap<string, Gram[]>, table: Uint32Array, hits: Hit[]): void {
  let h = hashAt(text, 0);
  let p = 0;
  const last = text.length - MIN_RUN;
  while (p <= last) {
    const slot = h >>> (32 - TABLE_BITS);
    if ((table[slot >>> 5]! & (1 << (slot & 31))) !== 0) {
      const found = grams.get(text.slice(p, p + MIN_RUN));
      if (found) {
        const hit = widest(text, p, found);
        hits.push(hit);
        // Resume after the run: rehash from there rather than roll across it.
        p = hit.end;
        if (p <= last) h = hashAt(text, p);
        continue;
      }
    }
    if (p < last) h = (Math.imul(h - Math.imul(text.charCodeAt(p), OUT_WEIGHT), BASE) + text.charCodeAt(p + MIN_RUN)) | 0;
    p++;
  }
}

/** The window at `p` matched: extend it both ways as far as the secret goes, for each place it matched. */
function widest(text: string, p: number, found: readonly Gram[]): Hit {
  let best: Hit = { start: p, end: p + MIN_RUN, key: found[0]!.key };
  for (const g of found) {
    let start = p;
    let from = g.at;
    while (start > 0 && from > 0 && text.charCodeAt(start - 1) === g.value.charCodeAt(from - 1)) (start--, from--);
    let end = p + MIN_RUN;
    let to = g.at + MIN_RUN;
    while (end < text.length && to < g.value.length && text.charCodeAt(end) === g.value.charCodeAt(to)) (end++, to++);
    if (end - start > best.end - best.start) best = { start, end, key: g.key };
  }
  return best;
}

function findWhole(text: string, s: SecretValue, hits: Hit[]): void {
  for (let i = text.indexOf(s.value); i >= 0; i = text.indexOf(s.value, i + 1)) {
    const end = i + s.value.length;
    if (i > 0 && isWord(text.charCodeAt(i - 1))) continue;
    if (end < text.length && isWord(text.charCodeAt(end))) continue;
    hits.push({ start: i, end, key: s.key });
  }
}

/** Hits in order, overlaps merged (the first one's key names the merged run). */
function apply(text: string, hits: Hit[]): string {
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (let i = 0; i < hits.length; ) {
    const h = hits[i]!;
    let end = h.end;
    for (i++; i < hits.length && hits[i]!.start < end; i++) end = Math.max(end, hits[i]!.end);
    out += `${text.slice(at, h.start)}[redacted:${h.key}]`;
    at = end;
  }
  return out + text.slice(at);
}
