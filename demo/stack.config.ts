import { defineStack } from '../src/stack/index.js';

// The built-in demo: the incident's four services as standard-library stand-ins,
// plus botstack's monitor. Its own ports and its own folders under .demo/ keep
// it clear of a real stack on the same machine. The ports are below 32768, the
// start of Linux's default range for outgoing connections: a demo port in that
// range was once taken by a busy machine's client socket and the demo refused
// to start.
// Run it: npm run demo

const port = { mongo: 17017, api: 18002, web: 18003 };

export default defineStack({
  name: 'botstack-demo',
  root: 'app',
  venv: '../../.demo/venv',
  logDir: '../../.demo/logs',
  services: [
    { name: 'mongod', kind: 'mongod', binary: '../mongod-standin.mjs', dbpath: '../../.demo/db', port: port.mongo },
    {
      name: 'api',
      kind: 'python',
      script: 'service.py',
      args: ['api'],
      port: port.api,
      env: { PORT: String(port.api), MONGO_URL: `mongodb://127.0.0.1:${port.mongo}` },
      health: { type: 'http', path: '/health' },
      dependsOn: ['mongod'],
    },
    {
      name: 'web',
      kind: 'python',
      script: 'service.py',
      args: ['web'],
      port: port.web,
      env: { PORT: String(port.web), API_V2_URL: `http://127.0.0.1:${port.api}` },
      health: { type: 'http', path: '/api/health' },
      dependsOn: ['api'],
    },
    {
      name: 'bot',
      kind: 'python',
      script: 'service.py',
      args: ['bot'],
      env: { API_V2_URL: `http://127.0.0.1:${port.api}` },
      health: { type: 'heartbeat', file: '../../.demo/run/bot.heartbeat', maxAge: '20s' },
      dependsOn: ['api'],
    },
    { name: 'monitor', kind: 'monitor' },
  ],
});
