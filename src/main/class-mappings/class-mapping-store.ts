/** Saved class mappings (table class_mappings): validated against the model's label count, named, reusable by evals. */
import { join } from 'node:path';
import type { ClassMapping, SavedClassMapping, SaveClassMappingParams } from '../../shared/class-mapping-types';
import { labelProblem } from '../../shared/label-rule';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { conflict, notFound, StudioError } from '../errors';
import { CLASS_MAPPING_PRESETS, resolveClassMapping, type ResolvedMapping } from '../inference/classifier/class-mapping';
import { readLabels } from '../inference/classifier/load-onnx-classifier';
import { getModel } from '../models/model-registry';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

interface MappingRow {
  id: number;
  name: string;
  modelId: number | null;
  modelClassCount: number;
  mappingJson: string;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `id, name, model_id AS modelId, model_class_count AS modelClassCount, mapping_json AS mappingJson,
  created_at AS createdAt, updated_at AS updatedAt`;

function toSaved(row: MappingRow): SavedClassMapping {
  const { mappingJson, ...rest } = row;
  return { ...rest, mapping: JSON.parse(mappingJson) as ClassMapping };
}

/** Every saved mapping, by name. */
export function listClassMappings(db: Db): SavedClassMapping[] {
  return (stmt(db, `SELECT ${COLUMNS} FROM class_mappings ORDER BY name COLLATE NOCASE`).all() as MappingRow[]).map(toSaved);
}

export function getClassMapping(db: Db, id: number): SavedClassMapping {
  const row = stmt(db, `SELECT ${COLUMNS} FROM class_mappings WHERE id = ?`).get(id) as MappingRow | undefined;
  if (!row) throw notFound(`class mapping ${id}`);
  return toSaved(row);
}

/** A saved mapping by name (case-insensitive), or null. */
export function findClassMapping(db: Db, name: string): SavedClassMapping | null {
  const row = stmt(db, `SELECT ${COLUMNS} FROM class_mappings WHERE name = ?`).get(name) as MappingRow | undefined;
  return row ? toSaved(row) : null;
}

/** The label list (labels.txt) of a registered ONNX classifier: what a mapping's indices point into. */
export async function classifierLabels(db: Db, modelId: number): Promise<string[]> {
  const model = getModel(db, modelId);
  if (model.kind !== 'onnx-classifier') throw invalid(`"${model.name}" is a vision-language model; class mappings are for ONNX classifiers`);
  return readLabels(join(model.path, 'labels.txt'));
}

/**
 * Checks a mapping for `modelClassCount` model classes: a name, clean target labels, ranges in range and owned once,
 * a rest/abstain target that exists, and at least two targets. Returns the resolved groups.
 */
export function validateClassMapping(mapping: ClassMapping, modelClassCount: number): ResolvedMapping {
  const name = mapping.name.trim();
  if (name === '' || name.length > 100) throw invalid('A class mapping needs a name of 1–100 characters');
  for (const label of [...mapping.classes.map((c) => c.label), ...(mapping.rest ? [mapping.rest] : [])]) {
    const problem = labelProblem(label);
    if (problem) throw invalid(`Target class "${label}" refused: ${problem}`);
  }
  let resolved: ResolvedMapping;
  try {
    resolved = resolveClassMapping({ ...mapping, name }, modelClassCount);
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  if (resolved.labels.length < 2) throw invalid(`Mapping "${name}" needs at least 2 target classes; it has ${resolved.labels.join(', ') || 'none'}`);
  return resolved;
}

/** Creates (no id) or replaces (id) a saved mapping; names are unique and may not shadow a preset. */
export async function saveClassMapping(db: Db, params: SaveClassMappingParams): Promise<SavedClassMapping> {
  const labels = await classifierLabels(db, params.modelId);
  const mapping: ClassMapping = {
    name: params.mapping.name.trim(),
    classes: params.mapping.classes.map((c) => ({ label: c.label.trim(), modelClasses: c.modelClasses })),
    rest: params.mapping.rest?.trim() || null,
    abstain: params.mapping.abstain?.trim() || null,
  };
  validateClassMapping(mapping, labels.length);
  if (Object.keys(CLASS_MAPPING_PRESETS).some((p) => p.toLowerCase() === mapping.name.toLowerCase())) {
    throw conflict(`"${mapping.name}" is the name of a built-in preset; pick another name`);
  }
  const id = params.id ?? null;
  const savedId = db
    .transaction((): number => {
      const clash = findClassMapping(db, mapping.name);
      if (clash && clash.id !== id) throw conflict(`A class mapping named "${clash.name}" already exists`);
      if (id === null) {
        return Number(
          stmt(db, 'INSERT INTO class_mappings (name, model_id, model_class_count, mapping_json) VALUES (?, ?, ?, ?)').run(
            mapping.name,
            params.modelId,
            labels.length,
            JSON.stringify(mapping),
          ).lastInsertRowid,
        );
      }
      getClassMapping(db, id);
      stmt(db, 'UPDATE class_mappings SET name = ?, model_id = ?, model_class_count = ?, mapping_json = ?, updated_at = ? WHERE id = ?').run(
        mapping.name,
        params.modelId,
        labels.length,
        JSON.stringify(mapping),
        nowIso(),
        id,
      );
      return id;
    })
    .immediate();
  return getClassMapping(db, savedId);
}

/** Removes a saved mapping; runs keep the copy they stored (class_mapping_json). */
export function deleteClassMapping(db: Db, id: number): void {
  if (stmt(db, 'DELETE FROM class_mappings WHERE id = ?').run(id).changes === 0) throw notFound(`class mapping ${id}`);
}
