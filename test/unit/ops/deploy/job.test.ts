import { describe, expect, it } from 'vitest';
import { DEPLOY_JOB, deployJobApp } from '../../../../src/stack/deploy-job.js';
import { botStackInput, mustLoad } from '../../../helpers/stack.js';

const base = botStackInput('/srv/bot', { mongo: 27017, api: 8002, web: 8003 });

describe('a scheduled deploy as a pm2 app', () => {
  it('none without deploy.every', () => {
    expect(deployJobApp(mustLoad(base))).toBeNull();
  });

  it('cron-started, never restarted by pm2, its own logs, the stack located as the operator located it, and no secret', () => {
    const stack = mustLoad({ ...base, deploy: { every: '30m', ref: 'origin/main' } });
    const app = deployJobApp(stack, { BOTSTACK_LOG_DIR: '/var/log/bot', TELEGRAM_BOT_TOKEN: 'secret', PATH: '/usr/bin' })!;
    expect(app).toMatchObject({
      name: DEPLOY_JOB,
      namespace: 'test-bot',
      interpreter: 'node',
      args: ['deploy', '--config', '<test>', '--scheduled', '--ref', 'origin/main'],
      cwd: '/srv/bot',
      autorestart: false,
      watch: false,
      cron_restart: '*/30 * * * *',
      out_file: '/srv/bot/logs/deploy.out.log',
      error_file: '/srv/bot/logs/deploy.err.log',
      env: { BOTSTACK_LOG_DIR: '/var/log/bot', BOTSTACK_SERVICE: DEPLOY_JOB, BOTSTACK_STACK_NAME: 'test-bot' },
    });
    expect(app.script).toMatch(/\/bin\/botstack\.js$/);
    // autostart: false would stop pm2 from ever running it, on restart or on its cron.
    expect('autostart' in app).toBe(false);
  });

  it('without a ref, the deploy uses the branch upstream', () => {
    const app = deployJobApp(mustLoad({ ...base, deploy: { every: '1h' } }))!;
    expect(app.args).toEqual(['deploy', '--config', '<test>', '--scheduled']);
    expect(app.cron_restart).toBe('0 * * * *');
  });
});
