import type { App, Finding, Profile, Severity } from '../types.js';

/** The fix in the words of the file the operator edits. */
export function fixFor(app: App, fixes: { botstack: string; pm2: string; shell: string }): string {
  return fixes[app.format];
}

/** Reload and watch are the point of the development profile; there they are only noted. */
export const devSeverity = (profile: Profile): Severity => (profile === 'development' ? 'info' : 'error');

export type { Finding };
