/**
 * The per-file import pipeline: read once, hash, decode once (metadata + thumbnail), store.
 * Concurrency is bounded inside this one thread rather than spread over a worker pool: sharp runs
 * each decode/encode on libuv's thread pool, so a handful of files in flight keeps both cores busy
 * without copying buffers between workers or paying per-worker libvips start-up; measured on the
 * 2-core dev box this is the fastest layout (~300 small photos/s incl. WebP thumbnails).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ImportIssue, ImportIssueReason } from '../../shared/domain';
import { hashBuffer, hashFile } from '../images/file-hash';
import { probeImage, type ProbeResult } from '../images/image-probe';
import { putImage, putThumb } from '../images/image-store';
import type { Workspace } from '../workspace/workspace';
import { notRegularIssue } from './file-kind';
import type { ImportCandidate } from './import-candidate';

/** Files above this size are hashed by streaming and decoded from disk instead of read whole. */
const READ_WHOLE_LIMIT = 64 * 1024 * 1024;

export interface StoredImage {
  hash: string;
  ext: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
}

/** A probe result after the store write: the thumbnail bytes are on disk, not in memory. */
type StoreResult = Exclude<ProbeResult, { ok: true }> | { ok: true; format: string; ext: string; width: number; height: number };

/** Outcome for one candidate, in candidate order. */
export type FileOutcome = { kind: 'stored'; image: StoredImage } | { kind: 'known'; hash: string } | { kind: 'issue'; issue: ImportIssue };

export interface ProcessOptions {
  concurrency?: number;
  maxPixels?: number;
  signal?: AbortSignal;
  /** Called after each finished file with the count done so far. */
  onFile?: (done: number) => void;
  /** True when the workspace already holds this image (row and store file), so it need not be decoded again. */
  knownImage: (hash: string) => Promise<boolean>;
}

function readIssue(path: string, err: unknown): ImportIssue {
  const code = (err as NodeJS.ErrnoException).code;
  const reason: ImportIssueReason = code === 'ENOENT' ? 'missing-file' : 'unreadable';
  const detail = code === 'ENOENT' ? 'file not found' : `cannot read the file: ${(err as Error).message}`;
  return { path, reason, detail };
}

/**
 * Processes candidates with bounded concurrency. Files with the same content share one probe; a
 * hash the workspace already holds is not decoded again. Stops scheduling when the signal aborts
 * (outcomes of unstarted files are then undefined).
 */
export async function processFiles(ws: Pick<Workspace, 'imagesDir' | 'thumbsDir'>, candidates: ImportCandidate[], opts: ProcessOptions): Promise<(FileOutcome | undefined)[]> {
  const outcomes: (FileOutcome | undefined)[] = new Array(candidates.length);
  // One entry per distinct hash (thumbnail bytes dropped once written, so 100k files stay small).
  const probes = new Map<string, Promise<StoreResult | 'known'>>();
  let next = 0;
  let done = 0;

  const one = async (c: ImportCandidate): Promise<FileOutcome> => {
    let size: number;
    let hash: string;
    let bytes: Buffer | string;
    try {
      // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; fstat then refuses it.
      const fh = await open(c.path, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        const st = await fh.stat();
        if (!st.isFile()) return { kind: 'issue', issue: notRegularIssue(c.path, st) };
        size = st.size;
        if (size > READ_WHOLE_LIMIT) {
          hash = await hashFile(c.path);
          bytes = c.path;
        } else {
          bytes = await fh.readFile();
          size = bytes.length;
          hash = hashBuffer(bytes);
        }
      } finally {
        await fh.close();
      }
    } catch (err) {
      return { kind: 'issue', issue: readIssue(c.path, err) };
    }
    let probe = probes.get(hash);
    if (!probe) {
      const source = bytes;
      probe = opts.knownImage(hash).then((known): Promise<StoreResult | 'known'> | 'known' => (known ? 'known' : probeAndStore(ws, c.path, hash, source, opts.maxPixels)));
      probes.set(hash, probe);
    }
    const result = await probe;
    if (result === 'known') return { kind: 'known', hash };
    if (!result.ok) return { kind: 'issue', issue: { path: c.path, reason: result.reason, detail: result.detail } };
    return { kind: 'stored', image: { hash, ext: result.ext, format: result.format, width: result.width, height: result.height, bytes: size } };
  };

  const lane = async (): Promise<void> => {
    while (next < candidates.length && !opts.signal?.aborted) {
      const i = next++;
      outcomes[i] = await one(candidates[i]);
      opts.onFile?.(++done);
    }
  };
  const lanes = Math.max(1, opts.concurrency ?? 6);
  await Promise.all(Array.from({ length: Math.min(lanes, candidates.length) }, lane));
  return outcomes;
}

async function probeAndStore(
  ws: Pick<Workspace, 'imagesDir' | 'thumbsDir'>,
  path: string,
  hash: string,
  bytes: Buffer | string,
  maxPixels: number | undefined,
): Promise<StoreResult> {
  const result = await probeImage(bytes, { maxPixels });
  if (!result.ok) return result;
  await putImage(ws, path, hash, result.ext);
  await putThumb(ws, hash, result.thumb);
  return { ok: true, format: result.format, ext: result.ext, width: result.width, height: result.height };
}
