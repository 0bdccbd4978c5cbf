/** The workspace's list of usable model folders: inspected once at registration, referenced by evals by id. */
import { basename, resolve } from 'node:path';
import type { RegisteredModel } from '../../shared/eval-types';
import type { FinetuneLineage } from '../../shared/finetune-types';
import type { ModelDtype, ModelInspection, ModelKind, ModelProvenance } from '../../shared/model-types';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { conflict, notFound, StudioError } from '../errors';
import { inspectModelFolder } from './inspect-model-folder';

/** Default dtype preference for CPU evals: small quantized weights first, full precision last. */
const DTYPE_PREFERENCE: readonly ModelDtype[] = ['q4', 'q8', 'int8', 'uint8', 'fp32', 'q4f16', 'fp16', 'bnb4'];

interface ModelRow {
  id: number;
  name: string;
  kind: ModelKind;
  path: string;
  architecture: string | null;
  dtype: string | null;
  dtypesJson: string;
  totalBytes: number;
  provenanceJson: string;
  createdAt: string;
}

const COLUMNS = `id, name, kind, path, architecture, dtype, dtypes_json AS dtypesJson, total_bytes AS totalBytes,
  provenance_json AS provenanceJson, created_at AS createdAt`;

function toModel(row: ModelRow): RegisteredModel {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    path: row.path,
    architecture: row.architecture,
    defaultDtype: row.dtype,
    dtypes: JSON.parse(row.dtypesJson) as string[],
    totalBytes: row.totalBytes,
    provenance: JSON.parse(row.provenanceJson) as ModelProvenance,
    createdAt: row.createdAt,
  };
}

/** The explanation shown when a folder cannot be registered: the one-line reason plus every problem found. */
export function inspectionRefusal(dir: string, inspection: ModelInspection): string {
  const problems = inspection.problems.filter((p) => p !== inspection.supportReason);
  const details = problems.length > 0 ? `\n${problems.map((p) => `  - ${p}`).join('\n')}` : '';
  return `Cannot register ${dir}: ${inspection.supportReason}${details}`;
}

export interface RegisterOptions {
  /** Defaults to the folder name. */
  name?: string;
  /** A fine-tune's output: its lineage joins the provenance and the base + job links are stored (indexed). */
  lineage?: FinetuneLineage;
}

/** Inspects `dir` and stores it; refuses unsupported or broken folders, duplicate names and already-registered paths. */
export async function registerModel(db: Db, dir: string, opts: RegisterOptions = {}): Promise<RegisteredModel> {
  const path = resolve(dir);
  const inspection = await inspectModelFolder(path);
  if (!inspection.supported || inspection.kind === null) throw new StudioError('invalid-args', inspectionRefusal(path, inspection));
  const name = (opts.name ?? basename(path)).trim();
  if (name === '') throw new StudioError('invalid-args', 'The model name is empty');
  if (name.length > 200) throw new StudioError('invalid-args', 'The model name is longer than 200 characters');
  const dtypes = [...inspection.dtypes];
  const defaultDtype = inspection.kind === 'vlm' ? (DTYPE_PREFERENCE.find((d) => dtypes.includes(d)) ?? null) : null;
  if (inspection.kind === 'vlm' && defaultDtype === null) {
    throw new StudioError('invalid-args', `Cannot register ${path}: no complete dtype variant of the model was found`);
  }
  const provenance: ModelProvenance = opts.lineage
    ? { ...inspection.provenance, source: 'finetune', baseModel: opts.lineage.baseModelName, finetune: opts.lineage }
    : inspection.provenance;
  const id = db
    .transaction((): number => {
      const byName = stmt(db, 'SELECT path FROM models WHERE name = ?').get(name) as { path: string } | undefined;
      if (byName) throw conflict(`A model named "${name}" is already registered (${byName.path}); pick another name`);
      const byPath = stmt(db, 'SELECT name FROM models WHERE path = ?').get(path) as { name: string } | undefined;
      if (byPath) throw conflict(`${path} is already registered as "${byPath.name}"`);
      return Number(
        stmt(
          db,
          `INSERT INTO models (name, kind, path, architecture, dtype, dtypes_json, total_bytes, provenance_json, created_at,
             base_model_id, finetune_job_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          name,
          inspection.kind,
          path,
          inspection.architecture,
          defaultDtype,
          JSON.stringify(dtypes),
          inspection.totalBytes,
          JSON.stringify(provenance),
          nowIso(),
          opts.lineage?.baseModelId ?? null,
          opts.lineage?.jobId ?? null,
        ).lastInsertRowid,
      );
    })
    .immediate();
  return getModel(db, id);
}

/** The model a fine-tune job registered, or null (a finished job is registered once). */
export function findModelByFinetuneJob(db: Db, jobId: string): RegisteredModel | null {
  const row = stmt(db, `SELECT ${COLUMNS} FROM models WHERE finetune_job_id = ?`).get(jobId) as ModelRow | undefined;
  return row ? toModel(row) : null;
}

/** By name. */
export function listModels(db: Db): RegisteredModel[] {
  return (stmt(db, `SELECT ${COLUMNS} FROM models ORDER BY name, id`).all() as ModelRow[]).map(toModel);
}

export function getModel(db: Db, id: number): RegisteredModel {
  const row = stmt(db, `SELECT ${COLUMNS} FROM models WHERE id = ?`).get(id) as ModelRow | undefined;
  if (!row) throw notFound(`model ${id}`);
  return toModel(row);
}

/** Case-insensitive name lookup; null when none. */
export function findModelByName(db: Db, name: string): RegisteredModel | null {
  const row = stmt(db, `SELECT ${COLUMNS} FROM models WHERE name = ?`).get(name.trim()) as ModelRow | undefined;
  return row ? toModel(row) : null;
}

/** Lookup by absolute folder path; null when none. */
export function findModelByPath(db: Db, dir: string): RegisteredModel | null {
  const row = stmt(db, `SELECT ${COLUMNS} FROM models WHERE path = ?`).get(resolve(dir)) as ModelRow | undefined;
  return row ? toModel(row) : null;
}

/**
 * Forgets a model; its folder stays on disk. Refused while an eval on it is queued or running;
 * finished evals keep their results (model_id becomes null).
 */
export function removeModel(db: Db, id: number): void {
  db.transaction(() => {
    getModel(db, id);
    const active = stmt(db, `SELECT COUNT(*) FROM eval_runs WHERE model_id = ? AND status IN ('queued','running')`)
      .pluck(true)
      .get(id) as number;
    if (active > 0) throw conflict(`The model is used by ${active} queued or running eval(s); cancel them first`);
    stmt(db, 'DELETE FROM models WHERE id = ?').run(id);
  }).immediate();
}
