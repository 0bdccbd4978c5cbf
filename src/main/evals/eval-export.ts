/** Per-sample eval results as CSV or JSON (the seeds' eval CSV shape: image, truth, prediction), optional thumbnails. */
import sharp from 'sharp';
import type { EvalRun, EvalSampleRow } from '../../shared/eval-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { csvField } from '../exports/export-names';
import { readStoreFile } from '../images/store-file';
import { imagePath, thumbPath, type Workspace } from '../workspace/workspace';
import { evalSampleRows, getEvalRun } from './eval-store';

export interface RunExportOptions {
  /** Adds a base64 JPEG thumbnail (longest side 256 px) per row, like the seeds' eval CSV. */
  thumbnails?: boolean;
}

export interface ExportedSample {
  position: number;
  sampleId: number;
  /** The image's path at import time. */
  imagePath: string;
  truth: string;
  prediction: string | null;
  correct: boolean;
  rawOutput: string | null;
  /** Label → probability (scored and classifier modes), else null. */
  probabilities: Record<string, number> | null;
  latencyMs: number | null;
  error: string | null;
  done: boolean;
  /** Mapped classifier runs: model probability mass outside every mapped class, and the model's own top-1 class. */
  oodMass?: number | null;
  modelTop1?: string | null;
  thumbnailJpegBase64?: string | null;
  /** Cascade runs only: the classifier's k proposals (best first) and stage 1's part of latencyMs. */
  stage1?: EvalSampleRow['stage1'];
  stage1LatencyMs?: number | null;
}

export interface RunExport {
  run: Omit<EvalRun, 'metrics'>;
  metrics: EvalRun['metrics'];
  samples: ExportedSample[];
}

type ExportWorkspace = Pick<Workspace, 'imagesDir' | 'thumbsDir'>;

const THUMB_SIDE = 256;

/** JPEG thumbnail from the workspace thumbnail when present, else from the original; null when neither decodes. */
async function jpegThumbnail(db: Db, ws: ExportWorkspace, hash: string): Promise<string | null> {
  const ext = stmt(db, 'SELECT ext FROM images WHERE hash = ?').pluck(true).get(hash) as string | undefined;
  const sources: [string, string | null][] = [[thumbPath(ws, hash), null], ...(ext === undefined ? [] : [[imagePath(ws, hash, ext), hash] as [string, string]])];
  for (const [path, expected] of sources) {
    try {
      // Checked read: a symlinked or altered store file never ends up in the export.
      const source = await readStoreFile(path, expected);
      const buf = await sharp(source)
        .rotate()
        .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 80 })
        .toBuffer();
      return buf.toString('base64');
    } catch {
      // Try the next source; an undecodable image simply gets no thumbnail.
    }
  }
  return null;
}

function toExported(row: EvalSampleRow, labels: readonly string[], cascade: boolean): ExportedSample {
  const probs = row.probabilities;
  return {
    position: row.position,
    sampleId: row.sampleId,
    imagePath: row.originalPath,
    truth: row.truth,
    prediction: row.prediction,
    correct: row.done && row.error === null && row.prediction === row.truth,
    rawOutput: row.rawOutput,
    probabilities: probs === null ? null : Object.fromEntries(labels.map((l, i) => [l, probs[i]])),
    latencyMs: row.latencyMs,
    error: row.error,
    done: row.done,
    ...(row.oodMass != null || row.modelTop1 != null ? { oodMass: row.oodMass ?? null, modelTop1: row.modelTop1 ?? null } : {}),
    ...(cascade ? { stage1: row.stage1, stage1LatencyMs: row.stage1LatencyMs } : {}),
  };
}

async function collect(db: Db, ws: ExportWorkspace, runId: number, opts: RunExportOptions): Promise<{ run: EvalRun; samples: ExportedSample[] }> {
  const run = getEvalRun(db, runId);
  const rows = evalSampleRows(db, runId);
  const samples = rows.map((r) => toExported(r, run.labels, run.cascade !== null));
  if (opts.thumbnails) {
    for (let i = 0; i < rows.length; i++) samples[i].thumbnailJpegBase64 = await jpegThumbnail(db, ws, rows[i].imageHash);
  }
  return { run, samples };
}

/** JSON text: the run's parameters, its metrics and one object per planned sample (position order). */
export async function exportRunJson(db: Db, ws: ExportWorkspace, runId: number, opts: RunExportOptions = {}): Promise<string> {
  const { run, samples } = await collect(db, ws, runId, opts);
  const { metrics, ...params } = run;
  const out: RunExport = { run: params, metrics, samples };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** CSV text with a header row; one probability column per label (p_<label>), OOD columns for mapped classifier runs, empty cells for absent values. */
export async function exportRunCsv(db: Db, ws: ExportWorkspace, runId: number, opts: RunExportOptions = {}): Promise<string> {
  const { run, samples } = await collect(db, ws, runId, opts);
  const ood = run.mode === 'classifier' && run.classMapping !== null;
  const header = [
    'position',
    'sample_id',
    'image_path',
    'truth',
    'prediction',
    'correct',
    'raw_output',
    ...run.labels.map((l) => `p_${l}`),
    'latency_ms',
    'error',
    ...(ood ? ['ood_mass', 'model_top1'] : []),
    ...(run.cascade ? ['stage1_labels', 'stage1_probabilities', 'stage1_latency_ms'] : []),
    ...(opts.thumbnails ? ['image_base64'] : []),
  ];
  const lines = [header.map(csvField).join(',')];
  for (const s of samples) {
    const cells = [
      String(s.position),
      String(s.sampleId),
      s.imagePath,
      s.truth,
      s.prediction ?? '',
      s.done ? String(s.correct) : '',
      s.rawOutput ?? '',
      ...run.labels.map((l) => (s.probabilities === null ? '' : String(s.probabilities[l]))),
      s.latencyMs === null ? '' : s.latencyMs.toFixed(3),
      s.error ?? '',
      ...(ood ? [s.oodMass == null ? '' : String(s.oodMass), s.modelTop1 ?? ''] : []),
      ...(run.cascade ? stage1Cells(s) : []),
      ...(opts.thumbnails ? [s.thumbnailJpegBase64 ?? ''] : []),
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A cascade row's stage 1 as CSV cells: labels and probabilities joined with " | " (best first), and its latency. */
function stage1Cells(s: ExportedSample): string[] {
  const st = s.stage1;
  if (!st) return ['', '', ''];
  return [st.labels.join(' | '), st.probabilities.map(String).join(' | '), s.stage1LatencyMs == null ? '' : s.stage1LatencyMs.toFixed(3)];
}
