/**
 * Runs one import end to end: scan the source, process files (hash, decode, store, thumbnail),
 * dedupe by content, then write everything in ONE transaction. A crash or cancel before that
 * leaves the database untouched (store files are content-addressed, so a rerun reuses them).
 */
import { resolve } from 'node:path';
import type { ImportIssue, ImportReport, ImportRequest } from '../../shared/domain';
import { StudioError } from '../errors';
import { checkStoreFile } from '../images/store-file';
import { imagePath, thumbPath, type Workspace } from '../workspace/workspace';
import { processFiles, type StoredImage } from './process-files';
import { saveImport, type NewSample } from './save-import';
import { scanSource } from './scan-source';

export interface ImportOptions {
  onProgress?: (value: number, message: string) => void;
  signal?: AbortSignal;
  /** Files in flight at once (default 6). */
  concurrency?: number;
  /** Decompression-bomb guard (default 100 MP). */
  maxPixels?: number;
}

type ImportWorkspace = Pick<Workspace, 'db' | 'imagesDir' | 'thumbsDir'>;

/** Hash → original path of the samples the named dataset already has (empty when it does not exist). */
function existingSamples(ws: ImportWorkspace, datasetName: string): Map<string, string> {
  const rows = ws.db
    .prepare(
      `SELECT s.image_hash AS hash, s.original_path AS path FROM samples s
       JOIN datasets d ON d.id = s.dataset_id WHERE d.name = ?`,
    )
    .all(datasetName) as { hash: string; path: string }[];
  return new Map(rows.map((r) => [r.hash, r.path]));
}

function progressReporter(onProgress: ImportOptions['onProgress']): (value: number, message: string) => void {
  let last = -1;
  return (value, message) => {
    if (!onProgress) return;
    if (value < 1 && value - last < 0.01) return;
    last = value;
    onProgress(Math.min(1, Math.max(0, value)), message);
  };
}

export async function runImport(ws: ImportWorkspace, req: ImportRequest, opts: ImportOptions = {}): Promise<ImportReport> {
  const datasetName = req.datasetName.trim();
  if (!datasetName) throw new StudioError('invalid-args', 'The dataset name is empty');
  const progress = progressReporter(opts.onProgress);
  progress(0, `Scanning ${req.source}`);
  const scan = await scanSource(req.source, req.format);
  const total = scan.candidates.length;
  progress(0.02, `Found ${total} files`);

  const existing = existingSamples(ws, datasetName);
  const extOf = ws.db.prepare('SELECT ext FROM images WHERE hash = ?').pluck();
  // Known = recorded and both store files sound; a missing, symlinked or altered one is stored again (a rerun repairs the store).
  const knownImage = async (hash: string): Promise<boolean> => {
    const ext = extOf.get(hash) as string | undefined;
    if (ext === undefined) return false;
    return (await checkStoreFile(imagePath(ws, hash, ext), hash)) === null && (await checkStoreFile(thumbPath(ws, hash), null, 'thumbnail')) === null;
  };
  const outcomes = await processFiles(ws, scan.candidates, {
    concurrency: opts.concurrency,
    maxPixels: opts.maxPixels,
    signal: opts.signal,
    knownImage,
    onFile: (done) => progress(0.02 + (0.93 * done) / Math.max(1, total), `Processed ${done} of ${total} files`),
  });
  const cancelled = opts.signal?.aborted ?? false;

  const issues: ImportIssue[] = [...scan.issues];
  const images: StoredImage[] = [];
  const samples: NewSample[] = [];
  const firstPath = new Map<string, string>();
  let alreadyPresent = 0;
  let processed = 0;
  scan.candidates.forEach((c, i) => {
    const o = outcomes[i];
    if (!o) return; // never started (cancelled)
    processed++;
    if (o.kind === 'issue') {
      issues.push(o.issue);
      return;
    }
    const hash = o.kind === 'stored' ? o.image.hash : o.hash;
    const inDataset = existing.get(hash);
    if (inDataset !== undefined) {
      if (inDataset === c.path) alreadyPresent++;
      else issues.push({ path: c.path, reason: 'duplicate', detail: `duplicate of ${inDataset} (already in the dataset)` });
      return;
    }
    const first = firstPath.get(hash);
    if (first !== undefined) {
      issues.push({ path: c.path, reason: 'duplicate', detail: `duplicate of ${first}` });
      return;
    }
    firstPath.set(hash, c.path);
    if (o.kind === 'stored') images.push(o.image);
    samples.push({ hash, originalPath: c.path, label: c.label, split: c.split });
  });

  const labels: string[] = [];
  const seen = new Set<string>();
  for (const s of samples) {
    if (s.label !== null && !seen.has(s.label)) {
      seen.add(s.label);
      labels.push(s.label);
    }
  }
  if (scan.classOrder === 'by-name') labels.sort((a, b) => a.localeCompare(b, 'en'));

  progress(0.97, cancelled ? 'Cancelled; saving the report' : `Saving ${samples.length} samples`);
  const report = saveImport(ws.db, {
    datasetName,
    source: resolve(req.source),
    format: scan.format,
    scanned: scan.issues.length + processed,
    images,
    samples,
    classes: labels,
    alreadyPresent,
    issues,
    skippedSideFiles: scan.skippedSideFiles,
    cancelled,
  });
  if (!cancelled) progress(1, `Imported ${report.imported} images (${report.issues.length} issues)`);
  return report;
}
