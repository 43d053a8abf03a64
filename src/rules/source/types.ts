import type { Stack } from '../../stack/types.js';
import type { TextKind } from '../checks/secrets.js';
import type { App, Finding, Profile, Pull, SourceFormat } from '../types.js';
import type { FileKind } from './kind.js';

// One input file as read (read.ts, places.ts): its apps and what the checks need besides.

export interface Source {
  readonly format: SourceFormat;
  readonly text: string;
  readonly apps: readonly App[];
  readonly profile: Profile;
  /** Whether unquoted `KEY=value` is a literal here (shell, YAML) or an expression (JS, TS, JSON). */
  readonly textKind: TextKind;
  /** Set for a botstack stack, for the whole-stack checks. */
  readonly stack?: Stack;
  /** The kind of file, as read. */
  readonly kind?: FileKind;
  /** Unattended git pulls (auto-pull). */
  readonly pulls?: readonly Pull[];
  /** Findings about the file itself, found while reading it (pm2 apps pm2 would skip). */
  readonly notes?: readonly Omit<Finding, 'file'>[];
  /** Named for development (Procfile.dev, start-dev.sh): only reload/watch (as info) and secrets are checked. */
  readonly devFile?: boolean;
  /** The text the secret scan reads, when it differs from `text` (systemd's Environment= lines). */
  readonly secretText?: string;
}
