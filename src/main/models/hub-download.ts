/** Downloads one dtype of a transformers.js VLM from the Hugging Face Hub (or a mirror) into the studio's model store. */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MODEL_DTYPES, isModelDtype, type ModelDtype, type StudioModelRecord } from '../../shared/model-types';
import { StudioError } from '../errors';
import { listRepoFiles, resolveEndpoint, type HubContext } from './hub-api';
import { finalizeStaging, readStoreRecord, reconcileStaging, reuseFromStore, entryIdentity } from './hub-download-staging';
import { downloadHubFile, entrySize } from './hub-file-download';
import { selectHubFiles } from './hub-file-select';
import { checkRevision, parseRepoId, partialFolderPath, storeFolderPath } from './model-store-paths';

export interface HubDownloadOptions {
  /** Defaults to env HF_ENDPOINT, then https://huggingface.co. */
  endpoint?: string;
  repoId: string;
  revision?: string;
  dtype: ModelDtype;
  /** The studio's model store; the model lands in `<destRoot>/<owner>--<name>--<revision>/`. */
  destRoot: string;
  token?: string;
  onProgress?: (value: number, message: string) => void;
  /** Aborting keeps the `.part` files: the next call with the same repo and revision resumes them. */
  signal?: AbortSignal;
}

export interface HubDownloadResult {
  dir: string;
  /** Relative paths of the files this download fetched or verified. */
  files: string[];
  bytes: number;
  commit?: string;
}

/** How often progress is reported: every 1/200 of the total, and at each file boundary. */
const PROGRESS_STEPS = 200;

export async function downloadFromHub(options: HubDownloadOptions): Promise<HubDownloadResult> {
  const revision = options.revision ?? 'main';
  const { owner, name } = parseRepoId(options.repoId);
  checkRevision(revision);
  if (!isModelDtype(options.dtype)) {
    throw new StudioError('invalid-args', `"${String(options.dtype)}" is not a dtype: use one of ${MODEL_DTYPES.join(', ')}`);
  }
  const dtype = options.dtype;
  const ctx: HubContext = { endpoint: resolveEndpoint(options.endpoint), repoId: `${owner}/${name}`, revision, token: options.token, signal: options.signal };
  const report = options.onProgress ?? (() => undefined);
  options.signal?.throwIfAborted();

  report(0, `Listing files of ${ctx.repoId}@${revision}`);
  const picked = selectHubFiles(await listRepoFiles(ctx), dtype, ctx.repoId);
  const total = picked.reduce((sum, e) => sum + entrySize(e), 0);
  const staging = partialFolderPath(options.destRoot, ctx.repoId, revision);
  const finalDir = storeFolderPath(options.destRoot, ctx.repoId, revision);
  await reconcileStaging(staging, picked);
  const earlier = await readStoreRecord(finalDir);

  let done = 0;
  let lastReported = -Infinity;
  const step = Math.max(1, Math.floor(total / PROGRESS_STEPS));
  const files: StudioModelRecord['files'] = [];
  let commit: string | undefined;
  for (const [i, entry] of picked.entries()) {
    const size = entrySize(entry);
    const label = `${entry.path} (${i + 1}/${picked.length})`;
    report(fraction(done, total), `Downloading ${label}`);
    await mkdir(dirname(join(staging, entry.path)), { recursive: true });
    await reuseFromStore(finalDir, earlier, staging, entry, size);
    const result = await downloadHubFile(ctx, entry, join(staging, entry.path), (n) => {
      done += n;
      if (done - lastReported >= step) {
        lastReported = done;
        report(fraction(done, total), `Downloading ${label}: ${formatBytes(done)} of ${formatBytes(total)}`);
      }
    });
    commit ??= result.commit;
    files.push({ path: entry.path, size, sha256: result.sha256, oid: entryIdentity(entry) });
  }

  const keep = new Set(picked.map((e) => e.path));
  const carried = (earlier?.files ?? []).filter((f) => !keep.has(f.path));
  const knownCommit = commit ?? earlier?.commit;
  const record: StudioModelRecord = {
    repoId: ctx.repoId,
    revision,
    ...(knownCommit ? { commit: knownCommit } : {}),
    endpoint: ctx.endpoint,
    dtype,
    dtypes: MODEL_DTYPES.filter((d) => d === dtype || (earlier?.dtypes ?? []).includes(d)),
    downloadedAt: new Date().toISOString(),
    files: [...files, ...carried].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  await finalizeStaging(staging, finalDir, keep, record);
  report(1, `Downloaded ${picked.length} files (${formatBytes(total)}) to ${finalDir}`);
  return { dir: finalDir, files: picked.map((e) => e.path), bytes: total, commit };
}

function fraction(done: number, total: number): number {
  return total <= 0 ? 0 : Math.min(1, Math.max(0, done / total));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
