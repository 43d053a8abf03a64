import { hostname } from 'node:os';
import { resolveAlertConfig, type AlertFileSettings, type ConfigResult } from './config.js';
import { readDotenv } from '../util/dotenv.js';

// The alert configuration of a stack, from its .env, the environment and the
// stack file. Shared by the monitor and the CLI; loads nothing that sends.

export interface StackLike {
  readonly name: string;
  readonly envFile: string;
  readonly alerts?: AlertFileSettings | undefined;
}

export async function loadAlertConfig(stack: StackLike, env: Readonly<Record<string, string | undefined>>): Promise<ConfigResult> {
  const dotenv = await readDotenv(stack.envFile);
  return resolveAlertConfig({ stack: stack.name, host: hostname(), env, dotenv, dotenvPath: stack.envFile, file: stack.alerts });
}
