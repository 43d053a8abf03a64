import { isDeepStrictEqual } from 'node:util';

// Pure checks of an HTTP health body, so they are tested without a socket.

export interface BodyExpectations {
  /** A substring the body must contain. */
  readonly expectBody?: string;
  /**
   * A JSON field (dot path, array indices allowed: "checks.0.ok") that must
   * equal `equals` (deep equality) or, without `equals`, be present and not
   * null or false.
   */
  readonly expectJson?: { readonly field: string; readonly equals?: unknown };
}

export const needsBody = (e: BodyExpectations): boolean => e.expectBody !== undefined || e.expectJson !== undefined;

const show = (v: unknown): string => {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Walks "a.b.0.c" through objects and arrays; undefined when any step is missing. */
export function fieldAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function checkJson(body: string, e: NonNullable<BodyExpectations['expectJson']>, truncated: string | null): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return truncated ? `body larger than ${truncated}, not parsed as JSON` : 'invalid JSON in body';
  }
  const value = fieldAt(doc, e.field);
  if (value === undefined) return `field ${e.field} missing from JSON body`;
  if (e.equals !== undefined) {
    return isDeepStrictEqual(value, e.equals) ? null : `field ${e.field} is ${show(value)}, expected ${show(e.equals)}`;
  }
  return value === null || value === false ? `field ${e.field} is ${show(value)}` : null;
}

/**
 * Null when the body meets every expectation, else a short reason.
 * `truncated` names the cap ("64 KiB") when only the body's start was read.
 */
export function checkBody(body: string, e: BodyExpectations, truncated: string | null): string | null {
  if (e.expectBody !== undefined && !body.includes(e.expectBody)) {
    const where = truncated ? `first ${truncated} of the body do not` : 'body does not';
    return `${where} contain ${show(e.expectBody)}`;
  }
  return e.expectJson ? checkJson(body, e.expectJson, truncated) : null;
}
