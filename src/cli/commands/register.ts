import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { registerAlert } from './alert.js';
import { registerDeploy } from './deploy.js';
import { registerDoctor } from './doctor.js';
import { registerExport } from './export.js';
import { registerLogs } from './logs.js';
import { registerRestart } from './restart.js';
import { registerSoak } from './soak.js';
import { registerStart } from './start.js';
import { registerStartup } from './startup.js';
import { registerStatus } from './status.js';
import { registerStop } from './stop.js';

// The operator commands (issue #4). Each command module imports its work lazily,
// so `botstack status` never pays for loading `start`'s or `soak`'s code.
export function registerOperate(program: Command, io: CliIO, setExit: SetExit): void {
  for (const register of [registerStart, registerStop, registerRestart, registerStatus, registerLogs, registerDoctor, registerSoak, registerStartup, registerAlert, registerDeploy]) {
    register(program, io, setExit);
  }
  registerExport(program, io, setExit);
}
