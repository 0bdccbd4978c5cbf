/** E2E seed: fine-tune job rows plus the run folder (metrics.jsonl, train.log) written the way the trainer writes them — no Python. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../../src/main/db/open-database';
import { finetuneRunDir } from '../../../src/main/finetunes/finetune-run-files';

/** One metrics.jsonl row (train.py's keys); every `evalEvery`-th step carries eval_loss. */
export function metricRow(step: number, evalEvery = 4): Record<string, number> {
  const train = 2.4 * Math.exp(-step / 9) + 0.35 + 0.04 * Math.sin(step);
  const row: Record<string, number> = { step, epoch: Number((step / 12).toFixed(4)), train_loss: Number(train.toFixed(4)), lr: 5e-4 * (1 - step / 40), samples_per_s: 3.2 + (step % 3) * 0.1 };
  if (step % evalEvery === 0) row.eval_loss = Number((train + 0.12).toFixed(4));
  return row;
}

/** Appends steps [from, to] to metrics.jsonl and their human lines to train.log, as Logger.metric / Logger.info do (floats as {v:.6g}). */
export function writeSteps(root: string, jobId: string, from: number, to: number): void {
  const run = finetuneRunDir(root, jobId);
  mkdirSync(run, { recursive: true });
  for (let step = from; step <= to; step++) {
    const rec = metricRow(step);
    appendFileSync(join(run, 'metrics.jsonl'), `${JSON.stringify(rec)}\n`);
    appendFileSync(join(run, 'train.log'), `2026-12-01T17:${String(step).padStart(2, '0')}:00 ${Object.entries(rec).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : Number(v.toPrecision(6))}`).join(' ')}\n`);
  }
}

export function writeLogHeader(root: string, jobId: string): void {
  const run = finetuneRunDir(root, jobId);
  mkdirSync(run, { recursive: true });
  const lines = [
    'LoRA wraps 6 modules: q_proj, k_proj, v_proj, out_proj, linear_1, linear_2',
    'trainable parameters: 1638400 of 450822656',
    '96 train / 12 val samples; 24 optimizer steps of 4 samples (2 epochs)',
  ];
  appendFileSync(join(run, 'train.log'), lines.map((l) => `2026-12-01T17:00:00 ${l}\n`).join(''));
}

/** A base model, a dataset snapshot and a finetune job row (params = the spec the job runs). */
export function seedFinetuneRows(db: Db, root: string): { baseId: number; versionId: number } {
  const baseId = Number(db.prepare(`INSERT INTO models (name, kind, path, architecture) VALUES ('LFM2-VL-450M', 'vlm', ?, 'lfm2_vl')`).run(join(root, 'base')).lastInsertRowid);
  const datasetId = Number(db.prepare(`INSERT INTO datasets (name) VALUES ('pets')`).run().lastInsertRowid);
  const versionId = Number(db.prepare(`INSERT INTO dataset_versions (dataset_id, name, classes_json, sample_count) VALUES (?, 'v1', '["cat","dog"]', 108)`).run(datasetId).lastInsertRowid);
  return { baseId, versionId };
}

export function insertFinetuneJob(db: Db, id: string, spec: object, fields: { status: string; message: string; value: number; createdAt: string; hostPid?: number; hostStarted?: string | null; result?: object; finishedAt?: string }): void {
  db.prepare(
    `INSERT INTO jobs (id, kind, status, value, message, params_json, result_json, created_at, finished_at, backend, host_pid, host_started) VALUES (?, 'finetune', ?, ?, ?, ?, ?, ?, ?, 'process', ?, ?)`,
  ).run(id, fields.status, fields.value, fields.message, JSON.stringify(spec), fields.result ? JSON.stringify(fields.result) : null, fields.createdAt, fields.finishedAt ?? null, fields.hostPid ?? null, fields.hostStarted ?? null);
}
