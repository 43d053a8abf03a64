import { Engine, type ContainerInspect } from '../../docker/engine.js';
import { probeFor, type ServiceProbe } from '../../probes/index.js';
import { down, up } from '../../probes/result.js';
import type { Probe } from '../../probes/types.js';
import type { Service } from '../../stack/types.js';
import { monoNow } from '../../util/mono.js';
import type { DockerDriver } from './driver.js';

// What the monitor probes under Compose. The same probes as on the VPS, over
// the Compose network, where they can reach the service: http and tcp go to
// the service's DNS name (a paused container accepts the connection in the
// kernel and never answers: the probe times out, as for a hung uvicorn).
// Two cannot: a heartbeat file lives in the bot's own container, and the mongo
// ping needs the driver (a dependency the monitor's image does not carry). For
// those the monitor reads the container's own Docker health, which runs the
// exported check inside it (docs/scale-out.md).

/** The service as seen from another container: its DNS name on the Compose network. */
export const onNetwork = (s: Service): Service => ({ ...s, host: s.name });

export function dockerProbeFor(s: Service, driver: DockerDriver, engine: Engine): ServiceProbe | null {
  const h = s.health;
  if (h.type === 'none') return null;
  if (h.type === 'http' || h.type === 'tcp') return probeFor(onNetwork(s), { monitor: true });
  return { probe: dockerHealthProbe(s.name, driver, engine), close: async () => undefined };
}

/** Healthy while the container's own healthcheck says so; `starting` is not yet healthy (the brain's start grace covers it). */
export function dockerHealthProbe(name: string, driver: DockerDriver, engine: Engine): Probe {
  return async () => {
    const t0 = monoNow();
    const elapsed = (): number => monoNow() - t0;
    const id = driver.cached(name)?.Id;
    if (id === undefined) return down(elapsed(), `no container for ${name}`);
    let c: ContainerInspect;
    try {
      c = await engine.call<ContainerInspect>('GET', `/containers/${id}/json`, 5000);
    } catch (err) {
      return down(elapsed(), `docker inspect ${name}: ${(err as Error).message}`);
    }
    if (c.State.Paused) return down(elapsed(), `${name} is paused (docker pause): its healthcheck cannot run`);
    const health = c.State.Health;
    if (health === undefined || health.Status === 'none') return up(elapsed(), 'no Docker healthcheck: alive as far as Docker can tell');
    if (health.Status === 'healthy') return up(elapsed(), 'docker health: healthy');
    const last = health.Log?.[health.Log.length - 1];
    return down(elapsed(), `docker health: ${health.Status}${last ? ` (last check exit ${last.ExitCode}${last.Output.trim() ? `: ${last.Output.trim().slice(0, 200)}` : ''})` : ''}`);
  };
}
