/** Maps a model's own classes (e.g. ImageNet's 1000) onto a dataset's classes by summing probability mass. */

import type { ClassMapping } from '../../../shared/class-mapping-types';

export type { ClassMapping, ModelClassSpec } from '../../../shared/class-mapping-types';

/** ImageNet-1k: domestic cat breeds 281–285 (tabby … Egyptian cat), dog breeds 151–268 (Chihuahua … Mexican hairless). */
export const IMAGENET_CATS_VS_DOGS: ClassMapping = {
  name: 'imagenet-cats-vs-dogs',
  classes: [
    { label: 'cat', modelClasses: [{ from: 281, to: 285 }] },
    { label: 'dog', modelClasses: [{ from: 151, to: 268 }] },
  ],
};

export const CLASS_MAPPING_PRESETS: Readonly<Record<string, ClassMapping>> = {
  [IMAGENET_CATS_VS_DOGS.name]: IMAGENET_CATS_VS_DOGS,
};

export interface ResolvedMapping {
  /** Dataset class names, in mapping order (a rest target that is not also listed comes last). */
  labels: string[];
  /** Model class indices per dataset class. */
  groups: number[][];
  modelClassCount: number;
  /** Model classes not explicitly listed by any target (swept into the rest target, or left out): their mass is the OOD mass. */
  outside: number[];
}

/** Expands ranges and checks every index is in range and owned by at most one dataset class; the rest target takes the unlisted ones. */
export function resolveClassMapping(mapping: ClassMapping, modelClassCount: number): ResolvedMapping {
  if (mapping.classes.length === 0 && !mapping.rest) throw new Error(`Mapping "${mapping.name}" has no dataset classes`);
  const owner = new Map<number, string>();
  const labels: string[] = [];
  const groups = mapping.classes.map(({ label, modelClasses }) => {
    if (labels.includes(label)) throw new Error(`Mapping "${mapping.name}" lists dataset class "${label}" twice`);
    labels.push(label);
    const indices: number[] = [];
    for (const spec of modelClasses) {
      const [from, to] = typeof spec === 'number' ? [spec, spec] : [spec.from, spec.to];
      if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) {
        throw new Error(`Mapping "${mapping.name}", class "${label}": invalid model class range ${from}–${to}`);
      }
      if (from < 0 || to >= modelClassCount) {
        throw new Error(`Mapping "${mapping.name}", class "${label}": model classes ${from}–${to} fall outside 0–${modelClassCount - 1}`);
      }
      for (let i = from; i <= to; i++) {
        const prev = owner.get(i);
        if (prev !== undefined) throw new Error(`Mapping "${mapping.name}": model class ${i} is mapped to both "${prev}" and "${label}"`);
        owner.set(i, label);
        indices.push(i);
      }
    }
    if (indices.length === 0 && label !== mapping.rest) throw new Error(`Mapping "${mapping.name}", class "${label}": no model classes`);
    return indices;
  });
  const outside: number[] = [];
  for (let i = 0; i < modelClassCount; i++) if (!owner.has(i)) outside.push(i);
  if (mapping.rest) {
    if (outside.length === 0) throw new Error(`Mapping "${mapping.name}": every model class is already mapped, so "${mapping.rest}" (the rest) gets none`);
    const at = labels.indexOf(mapping.rest);
    if (at >= 0) groups[at] = [...groups[at], ...outside].sort((a, b) => a - b);
    else {
      labels.push(mapping.rest);
      groups.push(outside);
    }
  }
  if (mapping.abstain && !labels.includes(mapping.abstain)) {
    throw new Error(`Mapping "${mapping.name}": the abstain target "${mapping.abstain}" is not one of its targets (${labels.join(', ')})`);
  }
  return { labels, groups, modelClassCount, outside };
}

/** Identity mapping: the dataset classes are the model's own labels. */
export function identityMapping(modelLabels: readonly string[]): ResolvedMapping {
  return { labels: [...modelLabels], groups: modelLabels.map((_, i) => [i]), modelClassCount: modelLabels.length, outside: [] };
}

export interface MappedProbabilities {
  /** Dataset-class probabilities renormalised over the mapped mass (sum to 1); null if no mass was mapped. */
  probabilities: number[] | null;
  /** Argmax dataset class (first on ties); null if no mass was mapped. */
  prediction: string | null;
  /** Model probability mass that fell on classes outside every group (e.g. "tennis ball" for cats vs dogs). */
  unmappedMass: number;
  /**
   * Out-of-distribution mass: the model's probability on classes outside every explicitly mapped class (normalised by its
   * total), whether a rest target swept them up or not. "triceratops 0.77" shows here as 0.77 while "cat" may read 89%.
   */
  oodMass: number;
}

/** Sums model-class probabilities per dataset class, renormalises over the mapped mass and takes the argmax. */
export function applyClassMapping(mapping: ResolvedMapping, modelProbabilities: ArrayLike<number>): MappedProbabilities {
  if (modelProbabilities.length !== mapping.modelClassCount) {
    throw new Error(`Expected ${mapping.modelClassCount} model probabilities, got ${modelProbabilities.length}`);
  }
  let total = 0;
  for (let i = 0; i < modelProbabilities.length; i++) total += modelProbabilities[i];
  const mass = mapping.groups.map((g) => g.reduce((sum, i) => sum + modelProbabilities[i], 0));
  const mapped = mass.reduce((a, b) => a + b, 0);
  const norm = total > 0 ? total : 1;
  const unmappedMass = Math.max(0, total - mapped) / norm;
  const oodMass = Math.min(1, mapping.outside.reduce((sum, i) => sum + modelProbabilities[i], 0) / norm);
  if (!(mapped > 0)) return { probabilities: null, prediction: null, unmappedMass, oodMass };
  const probabilities = mass.map((m) => m / mapped);
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
  return { probabilities, prediction: mapping.labels[best], unmappedMass, oodMass };
}

/** Softmax in float64 with max subtraction. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i] - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** True when a row already is a probability vector (non-negative, sums to 1 within float32 rounding). */
export function looksLikeProbabilities(row: ArrayLike<number>): boolean {
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    if (!(row[i] >= 0)) return false;
    sum += row[i];
  }
  return Math.abs(sum - 1) < 1e-3;
}
