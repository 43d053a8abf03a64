import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from '../../util/io.js';
import { pm2Install, renderUnit, serviceName, unitPath } from './unit.js';

// Who the boot unit runs as, where its pm2 lives, and the unit itself. The
// user and home are always explicit: pm2 writes User=undefined when $USER is
// unset, and hard-codes whatever PATH and PM2_HOME the calling shell had.

export interface StartupPlan {
  readonly user: string;
  readonly home: string;
  readonly pm2Home: string;
  readonly serviceName: string;
  readonly unitFile: string;
  readonly unit: string;
  readonly nodeBin: string;
  readonly pm2Bin: string;
  readonly pm2Version: string;
  /** The environment pm2's own CLI runs with: this PM2_HOME, this PATH, this USER. */
  readonly env: NodeJS.ProcessEnv;
}

export interface PlanOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly user?: string;
  readonly home?: string;
  readonly unitDir?: string;
  readonly passwdFile?: string;
  readonly nodeBin?: string;
}

/** The home folder /etc/passwd gives `user`, or undefined. */
export function passwdHome(user: string, passwdFile = '/etc/passwd'): string | undefined {
  let text = '';
  try {
    text = readFileSync(passwdFile, 'utf8');
  } catch {
    return undefined;
  }
  const row = text.split('\n').find((l) => l.split(':')[0] === user);
  return row?.split(':')[5] || undefined;
}

/** --user, else the user who ran sudo, else $USER/$LOGNAME, else the uid's name. */
function pickUser(o: PlanOptions): string {
  const u = o.user ?? o.env.SUDO_USER ?? o.env.USER ?? o.env.LOGNAME ?? userInfo().username;
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(u)) throw new CliError(`--user "${u}" is not a user name; expected a login name like ubuntu`, EXIT.USAGE);
  return u;
}

export function planStartup(o: PlanOptions): StartupPlan {
  const user = pickUser(o);
  const home = o.home ?? passwdHome(user, o.passwdFile) ?? (user === (o.env.USER ?? userInfo().username) ? o.env.HOME : undefined);
  if (!home) throw new CliError(`no home folder for user "${user}" in ${o.passwdFile ?? '/etc/passwd'}; pass --home <dir>`, EXIT.USAGE);
  const pm2Home = o.env.PM2_HOME ?? join(home, '.pm2');
  const pm2 = pm2Install();
  const nodeBin = o.nodeBin ?? process.execPath;
  const input = { user, home, pm2Home, path: o.env.PATH ?? '', nodeBin, pm2Bin: pm2.bin };
  const unit = renderUnit(readFileSync(pm2.systemdTemplate, 'utf8'), input);
  const name = serviceName(user);
  return {
    user,
    home,
    pm2Home,
    serviceName: name,
    unitFile: join(o.unitDir ?? '/etc/systemd/system', `${name}.service`),
    unit,
    nodeBin,
    pm2Bin: pm2.bin,
    pm2Version: pm2.version,
    env: { ...o.env, PM2_HOME: pm2Home, PATH: unitPath(input), USER: user, HOME: home },
  };
}
