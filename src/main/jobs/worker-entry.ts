/**
 * Finds and starts the job worker in every way the app runs:
 * - electron-vite bundle: out/main/job-worker.js beside index.js (or one level up when this code
 *   landed in a shared chunk), started directly;
 * - TypeScript sources under tsx (`npm run host`, the CLI) or vitest: job-worker.ts, started from a
 *   tiny eval'd bootstrap that loads it through tsx's tsImport API. (Node 20 does not apply
 *   `--import tsx` hooks to a worker's own entry, so execArgv alone fails with "Unknown file
 *   extension .ts"; tsImport works on every supported Node and ignores the working directory.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WorkerEntry {
  /** Absolute path of the worker module (job-worker.ts or job-worker.js). */
  file: string;
  /** True when the file is TypeScript and must be loaded through tsx. */
  typescript: boolean;
}

export function resolveJobWorker(moduleUrl: string = import.meta.url): WorkerEntry {
  const here = fileURLToPath(moduleUrl);
  const dir = dirname(here);
  if (here.endsWith('.ts')) return { file: join(dir, 'job-worker.ts'), typescript: true };
  for (const candidate of [join(dir, 'job-worker.js'), join(dir, '..', 'job-worker.js'), join(dir, 'job-worker.mjs'), join(dir, 'job-worker.cjs')]) {
    if (existsSync(candidate)) return { file: candidate, typescript: false };
  }
  throw new Error(`Job worker script not found next to ${here} (expected job-worker.js from the build)`);
}

/** file: URL of tsx's ESM API module, read from tsx's own exports map. */
function tsxApiUrl(fromUrl: string): string {
  const pkgPath = createRequire(fromUrl).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const rel = pkg.exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

/** Starts a worker thread running the job worker with this workerData. */
export function startJobWorker(workerData: unknown, moduleUrl: string = import.meta.url): Worker {
  const entry = resolveJobWorker(moduleUrl);
  if (!entry.typescript) return new Worker(entry.file, { workerData });
  const api = JSON.stringify(tsxApiUrl(moduleUrl));
  const file = JSON.stringify(pathToFileURL(entry.file).href);
  const boot = `import(${api}).then((tsx) => tsx.tsImport(${file}, ${file}));`;
  return new Worker(boot, { eval: true, workerData });
}
