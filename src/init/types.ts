import type { App } from '../rules/types.js';
import type { CodeFacts } from './code-facts.js';
import type { TextHints } from './hints.js';

// The plan `botstack init --from` builds (plan.ts) and writes (render.ts), as data.

export type PlannedKind = 'mongod' | 'uvicorn' | 'python' | 'node' | 'command';

export interface PlannedService {
  readonly name: string;
  readonly kind: PlannedKind;
  /** mongod, or a database run as a command (redis, postgres): started first, depends on nothing. */
  readonly database: boolean;
  /** uvicorn: the app spec; python/node: the script; command: the command line. */
  readonly target: string;
  readonly args: readonly string[];
  /** Where it runs, when not the stack's root: relative to the root when inside it. */
  readonly cwd: string | null;
  readonly port: number | null;
  /** The host the source bound, when it was not loopback (we bind 127.0.0.1 and say so). */
  readonly publicHost: string | null;
  readonly dbpath: string | null;
  readonly workers: number | null;
  /** The source ran it with --reload: kept for BOTSTACK_ENV=development only. */
  readonly reloadInDevelopment: boolean;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly dependsOn: readonly { readonly name: string; readonly guess: boolean }[];
  /** An HTTP path the source file itself probes (a curl in the script), or the app's code declares. */
  readonly healthPath: string | null;
  /** Where healthPath came from, for its comment: "declared in api_v2/app.py line 31". Absent: the script polls it. */
  readonly healthFrom?: string;
  /** The app module init read and found no health route in (the TCP fallback's comment). */
  readonly healthLooked?: string;
  /** Paths init could not resolve: a FILL IN comment each, never code. */
  readonly unresolved?: readonly { readonly field: string; readonly what: string }[];
  /** Secret keys the script assigns outside any command that reached this service's environment (exported). */
  readonly exported?: readonly string[];
  /** Keys this service's own code reads; absent when its code is not beside the script. */
  readonly codeReads?: readonly string[];
  /** Why this kind, or what was dropped: one comment line each. */
  readonly notes: readonly string[];
  /** Where it came from: "start_all_services.sh line 12". */
  readonly origin: string;
}

export interface InitPlan {
  readonly name: string;
  readonly root: string | null;
  readonly venv: string | null;
  /** The venv as the script computes it, when init could not resolve it: a FILL IN comment. */
  readonly venvUnresolved?: string;
  readonly services: readonly PlannedService[];
  /** Every secret key, for the summary: put these in <root>/.env. */
  readonly secrets: readonly string[];
  /** Secret-looking keys the script assigns that no service is given or reads (local to the script). */
  readonly localKeys?: readonly string[];
}

export interface SourceApps {
  readonly file: string;
  readonly apps: readonly App[];
  readonly hints: TextHints;
  /** What each app's own code says (code-facts.ts), when read. */
  readonly facts?: ReadonlyMap<App, CodeFacts>;
  /** The key names (never the values) of the project's `.env`, beside the script or in its root. */
  readonly dotenvKeys?: readonly string[];
}
