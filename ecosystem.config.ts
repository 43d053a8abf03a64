import { defineStack } from './src/stack/index.js';

// The bot stack from the incident, typed. Paths come from the environment:
//   BOTSTACK_ROOT          project folder            (default /v3)
//   BOTSTACK_VENV          Python venv               (default $BOTSTACK_ROOT/venv)
//   BOTSTACK_LOG_DIR       one log file per service  (default $BOTSTACK_ROOT/logs)
//   BOTSTACK_MONGOD        mongod binary             (default `mongod` on PATH)
//   BOTSTACK_MONGO_DBPATH  MongoDB data folder       (default $BOTSTACK_ROOT/data/db)
//   BOTSTACK_ENV           production | development  (default production)
// Secrets (TELEGRAM_BOT_TOKEN) come from $BOTSTACK_ROOT/.env or the environment,
// never from this file.
// Start it: pm2 start ecosystem.config.cjs   (or: npx botstack start)

const API_V2_URL = process.env.API_V2_URL ?? 'http://127.0.0.1:8002';

export default defineStack({
  name: 'telegram-bot',
  services: [
    {
      name: 'mongod',
      kind: 'mongod',
      host: '127.0.0.1',
      port: 27017,
    },
    {
      name: 'api',
      kind: 'uvicorn',
      app: 'api_v2.app:app',
      port: 8002,
      health: { type: 'http', path: '/health' },
      reloadInDevelopment: true,
      dependsOn: ['mongod'],
    },
    {
      name: 'web',
      kind: 'uvicorn',
      app: 'web.app:app',
      port: 8003,
      env: { API_V2_URL },
      health: { type: 'http', path: '/api/health' },
      reloadInDevelopment: true,
      dependsOn: ['api'],
    },
    {
      name: 'bot',
      kind: 'python',
      script: 'bot/main.py',
      env: { API_V2_URL },
      secrets: ['TELEGRAM_BOT_TOKEN'],
      // bot/main.py touches this file from its polling loop; see README "Heartbeat".
      health: { type: 'heartbeat', file: 'run/bot.heartbeat', maxAge: '60s' },
      dependsOn: ['api'],
    },
    {
      name: 'monitor',
      kind: 'monitor',
    },
  ],
});
