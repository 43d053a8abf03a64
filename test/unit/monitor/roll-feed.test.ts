import { describe, expect, it } from 'vitest';
import { RestartHistory } from '../../../src/monitor/history.js';
import { RollFeed } from '../../../src/monitor/roll-feed.js';
import type { HolderState } from '../../../src/stack/rolling.js';
import { load, svc } from '../stack/given.js';

const roll = (cause: string, ok = true) => ({ at: 0, cause, ok, ms: 500, pid: 1 });

describe('rolling restarts enter the restart history', () => {
  it('each new successful roll is a restart, by cause; the first look only sets the baseline', () => {
    const stack = load([svc.mongod, { ...svc.api, dependsOn: ['mongod'] }]);
    const history = new RestartHistory();
    let state: HolderState = { pid: 100, child: 101, port: 8002, rolling: false, rolls: 3, last: [roll('deploy'), roll('deploy'), roll('restart')] };
    const feed = new RollFeed(stack, history, () => state);
    expect(feed.poll(1000)).toBe(0);
    state = { ...state, rolls: 6, last: [...state.last, roll('heal'), roll('deploy', false), roll('rollback')] };
    expect(feed.poll(2000)).toBe(2);
    expect(history.of('api').map((r) => r.cause)).toEqual(['heal', 'manual']);
    expect(feed.poll(3000)).toBe(0);
    // pm2 restarted the holder: a new pid, counting from 0 again.
    state = { pid: 200, child: 201, port: 8002, rolling: false, rolls: 1, last: [roll('restart')] };
    expect(feed.poll(4000)).toBe(1);
    expect(history.of('api')).toHaveLength(3);
  });
});
