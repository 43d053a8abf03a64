import { serviceDotenvOverride } from '../../rules/checks/dotenv-override.js';
import { appsFromStack } from '../../rules/model/from-stack.js';
import { ok, warn, type CheckResult, type SyncCheck } from './types.js';

// A service whose own code loads its folder's .env with override=True wins over
// what botstack passes it: the same reading `check` does (service-dotenv-override),
// run on the stack as it is on this host.

export const dotenvOverrides: SyncCheck = (ctx) => {
  const apps = appsFromStack(ctx.stack);
  const found = serviceDotenvOverride({ file: ctx.stack.file, profile: ctx.stack.profile, apps }, ctx.stack.root, ctx.stack.envFile);
  if (found.length === 0) return [ok('dotenv', `no service loads a .env of its own over ${ctx.stack.envFile}`)];
  return found.map((f): CheckResult => (f.severity === 'info' ? ok('dotenv', `${f.message} (none there now)`) : warn('dotenv', f.message, f.fix)));
};
