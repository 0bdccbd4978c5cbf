/** Validates a new cascade run's classifier, k and mapping and builds what the run stores in eval_runs.cascade_json. */
import { existsSync } from 'node:fs';
import type { CascadeMappingInput, CascadeParams } from '../../shared/cascade-types';
import type { EvalMode } from '../../shared/eval-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { notFound, StudioError } from '../errors';
import { getModel } from '../models/model-registry';
import { checkCascadeMapping, classifierLabels, matchLabelsByName } from './cascade-mapping';
import { parseStoredCascade, type StoredCascade } from './cascade-stored';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

/** The cascade config a run stores, checked against its mode and candidate labels; throws invalid-args with the reason. */
export async function resolveCascade(db: Db, params: CascadeParams, mode: EvalMode, labels: readonly string[]): Promise<StoredCascade> {
  if (mode !== 'constrained' && mode !== 'scored') {
    throw invalid(`A cascade run lets the VLM choose among the classifier's proposals: use mode constrained or scored, not "${mode}"`);
  }
  const classifier = getModel(db, params.classifierModelId);
  if (classifier.kind !== 'onnx-classifier') throw invalid(`Cascade stage 1 needs an ONNX classifier; "${classifier.name}" is a ${classifier.kind}`);
  if (!existsSync(classifier.path)) throw new StudioError('not-found', `The folder of classifier "${classifier.name}" is gone: ${classifier.path}`);
  const k = params.k;
  if (!Number.isInteger(k) || k < 1 || k > labels.length) {
    throw invalid(`k must be a whole number from 1 to the ${labels.length} candidate labels, got ${String(k)}`);
  }
  const classMappingId = params.classMappingId ?? null;
  if (classMappingId !== null && !params.mapping) {
    // Saved mappings (table class_mappings) are another part of the prompt lab; until they exist here an id alone cannot be
    // resolved. With an inline mapping (a copy of a run) the id is kept as the mapping's origin.
    throw invalid('Saved class mappings (classMappingId) are not available in this build; give the mapping inline or let the labels match by name');
  }
  const modelLabels = await classifierLabels(classifier.path);
  const input = params.mapping ?? matchLabelsByName(labels, modelLabels).mapping;
  const mapping = checkCascadeMapping(input, labels, modelLabels, k);
  return { classifierModelId: classifier.id, k, classMappingId, classifierName: classifier.name, classifierPath: classifier.path, mapping };
}

/** The stored cascade config of a run (null for a plain run). */
export function runStoredCascade(db: Db, runId: number): StoredCascade | null {
  const json = stmt(db, 'SELECT cascade_json FROM eval_runs WHERE id = ?').pluck(true).get(runId) as string | null | undefined;
  if (json === undefined) throw notFound(`eval run ${runId}`);
  return parseStoredCascade(json);
}

/** The stored mapping as inline CascadeMappingInput (ranges expanded), so a copy of the run maps exactly the same classes. */
export function storedMappingInput(cascade: StoredCascade): CascadeMappingInput {
  return {
    name: cascade.mapping.name,
    classes: cascade.mapping.classes.map((c) => ({
      label: c.label,
      modelClasses: c.modelClasses.flatMap((spec) => (typeof spec === 'number' ? [spec] : Array.from({ length: spec.to - spec.from + 1 }, (_, i) => spec.from + i))),
    })),
  };
}

/** CreateEvalParams.cascade that recreates a run's cascade (robustness copies, reruns); null for a plain run. */
export function runCascadeParams(db: Db, runId: number): CascadeParams | null {
  const stored = runStoredCascade(db, runId);
  if (stored === null) return null;
  return { classifierModelId: stored.classifierModelId, k: stored.k, classMappingId: stored.classMappingId, mapping: storedMappingInput(stored) };
}
