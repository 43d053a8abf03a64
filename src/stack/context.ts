import type { Profile } from './schema.js';

// What resolving a stack knows beyond the file (resolve.ts), shared with the
// launch builder (launch.ts): the environment, and the stack-wide paths.

export type EnvLookup = Readonly<Record<string, string | undefined>>;

export interface ServiceContext {
  readonly root: string;
  readonly venv: string;
  readonly logDir: string;
  readonly envFile: string;
  readonly profile: Profile;
  readonly env: EnvLookup;
}
