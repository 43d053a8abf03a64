import { deployJobApp, DEPLOY_JOB } from '../../stack/deploy-job.js';
import type { Stack } from '../../stack/types.js';

// Registers the scheduled deploy's pm2 app after a start. What that app is (a
// stack's `deploy` block compiled for pm2) lives in src/stack/deploy-job.ts,
// which the pm2 entry compiles too.

export { DEPLOY_JOB, deployJobApp, type DeployJobApp } from '../../stack/deploy-job.js';

/** After a start: the scheduled deploy's pm2 app, registered once (pm2 keeps it across restarts). */
export async function ensureDeployJob(client: import('../../pm2/client.js').Pm2Client, stack: Stack, env: NodeJS.ProcessEnv): Promise<string | null> {
  const app = deployJobApp(stack, env);
  if (!app) return null;
  const d = stack.deploy!;
  const what = `scheduled deploys: every ${d.every} (cron "${app.cron_restart}") of ${d.ref ?? 'the upstream'}, as pm2 app ${DEPLOY_JOB}; log ${app.out_file}`;
  if (await client.get(DEPLOY_JOB)) return what;
  // Pm2App describes services (autorestart: true); this job is its own shape, which pm2 takes as is.
  await client.start([app as unknown as import('../../stack/compile.js').Pm2App], 30_000);
  return what;
}
