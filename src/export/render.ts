import type { Stack } from '../stack/types.js';
import { composeFiles } from './compose.js';
import { dockerfileFiles } from './dockerfile.js';
import { ExportInputError } from './errors.js';
import { parseImageFlags } from './images.js';
import { secretCommand } from './k8s/config.js';
import { k8sFiles } from './k8s/index.js';
import { buildModel, exportedServices } from './model.js';
import { monitorFiles } from './monitor.js';
import type { ExportModel, ExportResult, Target } from './types.js';

// Stack + flags -> the files of one target, with its warnings and the commands
// to run next. Pure: nothing is read from the environment or written here.

export interface ExportOptions {
  readonly namespace?: string;
  /** Raw `--image svc=img` flags. */
  readonly images?: readonly string[];
  /** How the output folder is shown in the next-step commands. */
  readonly outDisplay?: string;
  /** The output folder, absolute: Compose's `build:` points at the Dockerfile there. None (stdout): no `build:`. */
  readonly outDir?: string;
  /** Whether <root>/requirements.txt exists; the caller looks (default: it does). */
  readonly requirements?: boolean;
  /** Compose: export botstack's monitor as a container that heals through the Docker Engine (default: when the stack has one). */
  readonly monitor?: boolean;
}

// RFC 1123 label: what Kubernetes accepts as a namespace.
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function exportModel(stack: Stack, opts: ExportOptions = {}): ExportModel {
  if (opts.namespace !== undefined && !NAMESPACE.test(opts.namespace)) {
    throw new ExportInputError(`--namespace ${opts.namespace}: not a Kubernetes namespace name; use lower-case letters, digits and "-", at most 63, starting and ending with a letter or digit`);
  }
  const exported = exportedServices(stack);
  const omitted = stack.services.filter((s) => !exported.includes(s)).map((s) => s.name);
  const images = parseImageFlags(opts.images ?? [], exported.map((s) => s.name), omitted);
  return buildModel(stack, { ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}), images });
}

export function exportStack(stack: Stack, target: Target, opts: ExportOptions = {}): ExportResult {
  const model = exportModel(stack, opts);
  const out = opts.outDisplay ?? '.';
  const docker = dockerfileFiles(stack, model, opts.requirements !== undefined ? { requirements: opts.requirements } : {});
  const build = model.needsBuild ? [`docker build -f ${out}/Dockerfile -t ${model.services.find((s) => s.builtHere)?.image ?? ''} ${stack.root}`] : [];
  if (target === 'compose') {
    // env_file is read beside compose.yaml: link the VPS's .env there, one copy of the values.
    const env = model.services.some((s) => s.secrets.length > 0) ? [`ln -s ${model.envFile} ${out}/.env`] : [];
    const monitor = opts.monitor === false ? null : (stack.services.find((s) => s.kind === 'monitor')?.name ?? null);
    const compose = composeFiles(model, { ...(opts.outDir !== undefined ? { outDir: opts.outDir } : {}), monitor });
    const files = [...compose, ...docker, ...(monitor !== null ? monitorFiles(stack) : [])];
    return { target, files, warnings: model.warnings, next: [...build, ...env, `docker compose -p ${model.stack} -f ${out}/compose.yaml up -d${opts.outDir !== undefined ? ' --build' : ''}`] };
  }
  const secret = secretCommand(model);
  const ns = model.namespace !== null ? `kubectl create namespace ${model.namespace}` : null;
  return {
    target,
    files: [...k8sFiles(model), ...docker],
    warnings: model.warnings,
    next: [...build, ...(ns !== null ? [ns] : []), ...(secret !== null ? [secret] : []), `kubectl apply -f ${out}${model.namespace === null ? ' --namespace <ns>' : ''}`],
  };
}
