import type { Pm2Client } from '../../pm2/client.js';
import type { Pm2App } from '../../stack/compile.js';
import { DEPLOY_JOB, deployJobApp } from '../../stack/deploy-job.js';
import type { Stack } from '../../stack/types.js';

/** After a start: the scheduled deploy's pm2 app, registered once (pm2 keeps it across restarts). */
export async function ensureDeployJob(client: Pm2Client, stack: Stack, env: NodeJS.ProcessEnv): Promise<string | null> {
  const app = deployJobApp(stack, env);
  if (!app) return null;
  const d = stack.deploy!;
  const what = `scheduled deploys: every ${d.every} (cron "${app.cron_restart}") of ${d.ref ?? 'the upstream'}, as pm2 app ${DEPLOY_JOB}; log ${app.out_file}`;
  if (await client.get(DEPLOY_JOB)) return what;
  // Pm2App describes services (autorestart: true); this job is its own shape, which pm2 takes as is.
  await client.start([app as unknown as Pm2App], 30_000);
  return what;
}
