import { readCompose } from '../model/from-compose.js';
import { readCrontab } from '../model/from-cron.js';
import { readDockerfile } from '../model/from-dockerfile.js';
import { readProcfile } from '../model/from-procfile.js';
import { readSupervisor } from '../model/from-supervisor.js';
import { readShell } from '../model/from-shell.js';
import { readUnit } from '../model/from-systemd.js';
import type { FileKind } from './kind.js';
import type { Source } from './types.js';

// The other places start commands live on a VPS, each read into the same apps:
// shell scripts, systemd units, crontabs, Procfiles, Dockerfiles, compose files
// and supervisord programs. All are 'config' text for the secret scan (KEY=value is a literal).

export function readPlace(kind: FileKind, text: string, abs: string): Omit<Source, 'profile'> {
  const common = { format: 'shell' as const, text, textKind: 'config' as const, kind };
  switch (kind) {
    case 'systemd': {
      const r = readUnit(text, abs);
      return { ...common, apps: r.apps, pulls: r.pulls, secretText: r.secretText };
    }
    case 'cron': {
      const r = readCrontab(text, abs);
      return { ...common, apps: r.apps, pulls: r.pulls };
    }
    case 'procfile':
      return { ...common, apps: readProcfile(text) };
    case 'dockerfile':
      return { ...common, apps: readDockerfile(text) };
    case 'compose':
      return { ...common, apps: readCompose(text) };
    case 'supervisor':
      return { ...common, apps: readSupervisor(text) };
    default: {
      const r = readShell(text, { script: abs });
      return { ...common, apps: r.apps, pulls: r.pulls };
    }
  }
}
