import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO } from './project.js';
import { DOCKER, type Docker } from './docker.js';

// The base images the export names, built here from Debian: there is no
// registry. Stand-ins, not the real images, but they run what the exported
// files run:
// - python:3.12-slim: Debian's python3 with pip, uvicorn and FastAPI (3.11:
//   what bookworm has), `python` on PATH and no EXTERNALLY-MANAGED marker, as
//   in the official image;
// - node:20-slim: that, plus this machine's node 20 binary (the monitor's image);
// - mongo:7.0: that, plus demo/mongod-standin.mjs as `mongod` and a `mongosh`
//   that answers the export's ping check.
// Built once per machine and package list: the three images are saved to
// /var/cache/botstack-test/images/<key>.tar and loaded into each private dockerd.

export const PYTHON_PACKAGES = ['python3', 'python3-pip', 'python3-uvicorn', 'python3-fastapi'] as const;
const SUITE = 'bookworm';
const MIRROR = process.env.BOTSTACK_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const CACHE = process.env.BOTSTACK_IMAGE_CACHE ?? '/var/cache/botstack-test/images';
export const BASE_IMAGES = ['python:3.12-slim', 'node:20-slim', 'mongo:7.0'] as const;
const STANDIN = join(REPO, 'demo', 'mongod-standin.mjs');
const MONGOSH = join(REPO, 'test', 'fixtures', 'docker', 'mongosh-standin.mjs');
const BSON = join(REPO, 'node_modules', 'bson');

export interface BaseImages {
  readonly key: string;
  /** What it took: loaded from the cache, or built (with the debootstrap time). */
  readonly how: 'cached' | 'built';
  readonly ms: number;
  readonly debootstrapMs?: number;
}

/** The cache key: everything that goes into the images. */
function cacheKey(): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ PYTHON_PACKAGES, SUITE, node: process.version, v: 1 }));
  for (const f of [STANDIN, MONGOSH, join(BSON, 'package.json')]) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

export async function ensureBaseImages(d: Docker, log: (line: string) => void = () => undefined): Promise<BaseImages> {
  const key = cacheKey();
  const tar = join(CACHE, `${key}.tar`);
  const t0 = Date.now();
  if (existsSync(tar)) {
    await d.docker(['load', '-q', '-i', tar], { timeoutMs: 300_000 });
    return { key, how: 'cached', ms: Date.now() - t0 };
  }
  const work = mkdtempSync('/tmp/bsimg-');
  try {
    const debootstrapMs = await buildPython(d, work, log);
    await buildNode(d, work, log);
    await buildMongo(d, work, log);
    mkdirSync(CACHE, { recursive: true });
    // Saved under a temp name, then renamed: a run killed midway leaves no half cache.
    await d.docker(['save', '-o', `${tar}.part`, ...BASE_IMAGES], { timeoutMs: 300_000 });
    renameSync(`${tar}.part`, tar);
    return { key, how: 'built', ms: Date.now() - t0, debootstrapMs };
  } finally {
    await execa('rm', ['-rf', work], { reject: false });
  }
}

async function buildPython(d: Docker, work: string, log: (line: string) => void): Promise<number> {
  const root = join(work, 'rootfs');
  log(`debootstrap --variant=minbase --include=${PYTHON_PACKAGES.join(',')} ${SUITE} (${MIRROR})`);
  const t0 = Date.now();
  const r = await execa('debootstrap', ['--variant=minbase', `--include=${PYTHON_PACKAGES.join(',')}`, SUITE, root, MIRROR], { reject: false, timeout: 900_000 });
  if (r.exitCode !== 0) throw new Error(`debootstrap failed (exit ${r.exitCode}); is ${MIRROR} reachable? ${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  const ms = Date.now() - t0;
  // As the official image: `python` on PATH, pip installs system-wide, no apt lists.
  await execa('sh', ['-c', `ln -sf /usr/bin/python3 ${root}/usr/local/bin/python && rm -f ${root}/usr/lib/python3*/EXTERNALLY-MANAGED && rm -rf ${root}/var/lib/apt/lists/* ${root}/var/cache/apt/*.bin ${root}/var/cache/apt/archives/*.deb`]);
  // One pipeline in a shell: tar's stream goes straight into the Engine, never through node.
  const imp = await execa('sh', ['-c', `tar -C "$1" -c . | "$2" import -c 'CMD ["python3"]' -c 'ENV LANG=C.UTF-8' - python:3.12-slim`, 'sh', root, DOCKER], { env: d.env, reject: false, timeout: 300_000 });
  if (imp.exitCode !== 0) throw new Error(`docker import python:3.12-slim failed: ${imp.stderr}`);
  return ms;
}

async function build(d: Docker, dir: string, tag: string, dockerfile: string[]): Promise<void> {
  writeFileSync(join(dir, 'Dockerfile'), dockerfile.join('\n') + '\n');
  await d.docker(['build', '-q', '-t', tag, dir], { timeoutMs: 600_000 });
}

async function buildNode(d: Docker, work: string, log: (line: string) => void): Promise<void> {
  log(`node:20-slim from python:3.12-slim and ${process.execPath} (${process.version})`);
  const dir = join(work, 'node');
  mkdirSync(dir);
  copyFileSync(process.execPath, join(dir, 'node'));
  await build(d, dir, 'node:20-slim', ['FROM python:3.12-slim', 'COPY node /usr/local/bin/node', 'CMD ["node"]']);
}

async function buildMongo(d: Docker, work: string, log: (line: string) => void): Promise<void> {
  log('mongo:7.0 from node:20-slim, demo/mongod-standin.mjs and a mongosh stand-in');
  const dir = join(work, 'mongo');
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  copyFileSync(STANDIN, join(dir, 'mongod-standin.mjs'));
  copyFileSync(MONGOSH, join(dir, 'mongosh-standin.mjs'));
  cpSync(BSON, join(dir, 'node_modules', 'bson'), { recursive: true, dereference: true });
  // mongod's --bind_ip_all is the stand-in's --bind_ip 0.0.0.0; its other flags are the same.
  writeFileSync(join(dir, 'mongod'), ['#!/bin/sh', 'set -- $(for a in "$@"; do [ "$a" = --bind_ip_all ] && printf "%s\\n" --bind_ip 0.0.0.0 || printf "%s\\n" "$a"; done)', 'exec node /opt/standin/mongod-standin.mjs "$@"', ''].join('\n'), { mode: 0o755 });
  writeFileSync(join(dir, 'mongosh'), ['#!/bin/sh', 'exec node /opt/standin/mongosh-standin.mjs "$@"', ''].join('\n'), { mode: 0o755 });
  await build(d, dir, 'mongo:7.0', [
    'FROM node:20-slim',
    'COPY mongod-standin.mjs mongosh-standin.mjs /opt/standin/',
    'COPY node_modules /opt/standin/node_modules',
    'COPY mongod mongosh /usr/local/bin/',
    'RUN mkdir -p /data/db',
    'VOLUME /data/db',
    'CMD ["mongod", "--bind_ip_all"]',
  ]);
}

/** For a test that wants a clean rebuild: forget this machine's cache. */
export function dropImageCache(): void {
  rmSync(CACHE, { recursive: true, force: true });
}
