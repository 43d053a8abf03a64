import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { daemonNodeOptions } from '../../pm2/daemon-options.js';

// The systemd unit `pm2 startup systemd` writes, rendered from pm2's own
// template the way lib/API/Startup.js fills it in, with two corrections:
// PM2_HOME is the home botstack's daemon really uses (pm2 writes <hp>/.pm2
// whatever PM2_HOME says), and PATH always holds node's and pm2's folders.

export interface UnitInput {
  readonly user: string;
  readonly home: string;
  readonly pm2Home: string;
  /** PATH of the shell that runs startup; node's and pm2's folders are added when missing. */
  readonly path: string;
  readonly nodeBin: string;
  readonly pm2Bin: string;
}

export interface Pm2Install {
  readonly version: string;
  /** bin/pm2, which the unit runs as ExecStart/ExecStop. */
  readonly bin: string;
  readonly systemdTemplate: string;
}

export function pm2Install(): Pm2Install {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('pm2/package.json');
  const root = dirname(pkgFile);
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
  return { version: pkg.version, bin: join(root, 'bin', 'pm2'), systemdTemplate: join(root, 'lib', 'templates', 'init-scripts', 'systemd.tpl') };
}

export const serviceName = (user: string): string => `pm2-${user}`;

/** PATH with node's folder (pm2's bin is `#!/usr/bin/env node`) and pm2's folder present. */
export function unitPath(u: Pick<UnitInput, 'path' | 'nodeBin' | 'pm2Bin'>): string {
  const parts = u.path.split(delimiter).filter(Boolean);
  for (const dir of [dirname(u.nodeBin), dirname(u.pm2Bin)]) if (!parts.includes(dir)) parts.push(dir);
  return parts.join(delimiter);
}

export function renderUnit(template: string, u: UnitInput): string {
  // Function replacers: a '$' in a path must not be read as a replacement pattern.
  return template
    .replace(/%PM2_PATH%/g, () => u.pm2Bin)
    .replace(/%NODE_PATH%/g, () => unitPath(u))
    .replace(/%USER%/g, () => u.user)
    .replace(/%HOME_PATH%/g, () => u.pm2Home)
    .replace(/%SERVICE_NAME%/g, () => serviceName(u.user))
    // The daemon resurrect starts gets the preload that keeps log rotation lossless (src/pm2/daemon-options.ts).
    .replace(/^(Environment=PM2_HOME=.*)$/m, (line) => `${line}\nEnvironment=PM2_NODE_OPTIONS=${daemonNodeOptions(undefined)}`);
}

/** One `Key=value` of a unit's [Service] section (Environment= lines by their variable). */
export function unitValue(unit: string, key: string): string | undefined {
  for (const line of unit.split('\n')) {
    const env = /^Environment=([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (env && env[1] === key) return env[2];
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!env && kv && kv[1] === key) return kv[2];
  }
  return undefined;
}
