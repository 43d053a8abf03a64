import { hostPort } from './result.js';

// Socket errors as a tired operator reads them. Decided by `code`, never by
// matching message text.

const code = (err: unknown): string | undefined => {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
};

/** The first `code` found on the error or its `cause` chain. */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const c = code(e);
    if (c) return c;
  }
  return undefined;
}

export function socketErrorReason(err: unknown, host: string, port: number): string {
  const where = hostPort(host, port);
  const c = errorCode(err);
  switch (c) {
    case 'ECONNREFUSED':
      return `connection refused on ${where}`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection reset by ${where}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `host unreachable: ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host ${host}`;
    case 'EADDRNOTAVAIL':
      return `address not available: ${where}`;
    default: {
      const msg = err instanceof Error ? err.message : String(err);
      return `${c ?? 'error'} on ${where}: ${msg}`.slice(0, 200);
    }
  }
}
