// Loaded into the pm2 daemon (PM2_NODE_OPTIONS="--require <this file>") so
// that `pm2 reloadLogs` loses no line.
//
// pm2 7's reopen (lib/God/ForkMode.js, cspr._reloadLogs) calls destroy() on
// each app's log WriteStream before opening the new one. destroy() drops every
// write still queued behind the one in flight: at 1,000 lines a second, a few
// lines at most of the rotations (test/integration/logrotate-lossless.test.ts).
// end() writes the queue out to the old (renamed) file first, then closes it.
// Only the log streams pm2's startLogging makes are changed; nothing else.
'use strict';
const path = require('node:path');

function patch(Utility) {
  if (!Utility || typeof Utility.startLogging !== 'function' || Utility.startLogging.botstackReopen) return;
  const original = Utility.startLogging;
  const startLogging = function (stds, callback) {
    return original.call(this, stds, function (err) {
      for (const key of Object.keys(stds)) {
        const s = stds[key];
        if (s && typeof s.end === 'function' && typeof s.destroy === 'function' && typeof s._file === 'string') {
          // Only pm2's own reopen call is turned into end(). Once the stream
          // has ended, its autoDestroy (after the queue is written) and any
          // error go to the real destroy, which closes the fd: an end() there
          // would loop and leave the old file open, one fd per rotation.
          const destroy = s.destroy;
          s.destroy = function (err) {
            if (err || this.writableEnded) return destroy.call(this, err);
            this.end();
            return this;
          };
        }
      }
      return callback.apply(this, arguments);
    });
  };
  startLogging.botstackReopen = true;
  Utility.startLogging = startLogging;
}

// The daemon's main script is <pm2>/lib/Daemon.js; its Utility is the one next to it.
const main = process.argv[1] || '';
if (path.basename(main) === 'Daemon.js') {
  // pm2's ForkMode adds PM2_NODE_OPTIONS to every app's interpreter arguments,
  // python's too ("unknown option --require=..."): this flag is for the daemon only.
  const rest = (process.env.PM2_NODE_OPTIONS || '').split(' ').filter((a) => a && !a.includes('pm2-reopen-logs.cjs'));
  if (rest.length > 0) process.env.PM2_NODE_OPTIONS = rest.join(' ');
  else delete process.env.PM2_NODE_OPTIONS;
  try {
    patch(require(path.join(path.dirname(main), 'Utility.js')));
    // Proof for `botstack doctor` that this daemon (pm2.pid) runs patched.
    // "<pid> <version>": version 2 closes the old files (version 1, a bare pid, left one fd open per log per rotation).
    if (process.env.PM2_HOME) require('node:fs').writeFileSync(path.join(process.env.PM2_HOME, 'botstack-reopen-logs.pid'), `${process.pid} 2`);
  } catch (err) {
    process.stderr.write(`botstack: could not patch pm2's log reopen (${err && err.message}); pm2 reloadLogs may drop queued lines\n`);
  }
}

// For the deterministic control (test/unit/pm2/reopen-logs.test.ts).
module.exports = { patch };
