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
import { getClassMapping } from '../class-mappings/class-mapping-store';
import type { ClassMapping } from '../../shared/class-mapping-types';

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
  const modelLabels = await classifierLabels(classifier.path);
  const saved = classMappingId !== null && !params.mapping ? getClassMapping(db, classMappingId) : null;
  if (saved && saved.modelClassCount !== modelLabels.length) {
    throw invalid(`Class mapping "${saved.name}" was built for a classifier with ${saved.modelClassCount} classes; "${classifier.name}" has ${modelLabels.length}`);
  }
  const input = params.mapping ?? (saved ? savedMappingInput(saved.mapping, modelLabels.length, labels) : matchLabelsByName(labels, modelLabels).mapping);
  const mapping = checkCascadeMapping(input, labels, modelLabels, k);
  return { classifierModelId: classifier.id, k, classMappingId, classifierName: classifier.name, classifierPath: classifier.path, mapping };
}

/** A saved class mapping as a cascade's inline mapping: ranges expanded; its rest target kept only when it is a candidate. */
function savedMappingInput(mapping: ClassMapping, modelClassCount: number, labels: readonly string[]): CascadeMappingInput {
  const expand = (specs: ClassMapping['classes'][number]['modelClasses']): number[] =>
    specs.flatMap((spec) => (typeof spec === 'number' ? [spec] : Array.from({ length: spec.to - spec.from + 1 }, (_, i) => spec.from + i)));
  const classes = mapping.classes.map((c) => ({ label: c.label, modelClasses: expand(c.modelClasses) }));
  if (mapping.rest && labels.includes(mapping.rest)) {
    const listed = new Set(classes.flatMap((c) => c.modelClasses));
    const rest = Array.from({ length: modelClassCount }, (_, i) => i).filter((i) => !listed.has(i));
    const existing = classes.find((c) => c.label === mapping.rest);
    if (existing) existing.modelClasses.push(...rest);
    else classes.push({ label: mapping.rest, modelClasses: rest });
  }
  return { name: mapping.name, classes };
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
