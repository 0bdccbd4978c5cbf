/**
 * The label → classifier-class mapping of a cascade: given inline, or matched by name (oxford-pets "great_pyrenees" →
 * ImageNet "Great Pyrenees", "persian" → "Persian cat"), validated against the run's candidate labels.
 */
import { join } from 'node:path';
import type { CascadeMappingInput, CascadeMappingSuggestion, NameMatch } from '../../shared/cascade-types';
import { StudioError } from '../errors';
import { resolveClassMapping, type ClassMapping } from '../inference/classifier/class-mapping';
import { readLabels } from '../inference/classifier/load-onnx-classifier';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

/** Lower-case letters and digits only: "German short-haired pointer" and "german_shorthaired" compare as text. */
export function compactName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * How well a model class name names a label: 3 = same name, 2 = one extends the other at either end by a word
 * ("persian" / "Persian cat", "basset_hound" / "basset", "english_cocker_spaniel" / "cocker spaniel"), 0 = no match.
 * Short names (< 4 letters, e.g. "dog") only match exactly, so "dog" never swallows "Maltese dog".
 */
export function nameScore(label: string, modelClass: string): number {
  const a = compactName(label);
  const b = compactName(modelClass);
  if (a === '' || b === '') return 0;
  if (a === b) return 3;
  const shorter = a.length <= b.length ? a : b;
  const longer = a.length <= b.length ? b : a;
  if (shorter.length < 4 || longer.length - shorter.length > 12) return 0;
  return longer.startsWith(shorter) || longer.endsWith(shorter) ? 2 : 0;
}

/** Matches each candidate label to the classifier classes that name it; every model class goes to its best label only. */
export function matchLabelsByName(labels: readonly string[], modelLabels: readonly string[], name = 'by-name'): CascadeMappingSuggestion {
  const owned = new Map<string, number[]>(labels.map((l) => [l, []]));
  modelLabels.forEach((modelName, index) => {
    const scores = labels.map((l) => nameScore(l, modelName));
    const best = Math.max(0, ...scores);
    if (best === 0) return;
    const winners = labels.filter((_, i) => scores[i] === best);
    if (winners.length === 1) owned.get(winners[0])?.push(index);
  });
  const matches: NameMatch[] = labels
    .filter((l) => (owned.get(l) ?? []).length > 0)
    .map((label) => ({ label, modelClasses: (owned.get(label) ?? []).map((index) => ({ index, name: modelLabels[index] })) }));
  const mapping: CascadeMappingInput = { name, classes: matches.map((m) => ({ label: m.label, modelClasses: m.modelClasses.map((c) => c.index) })) };
  return { mapping, matches, unmatched: labels.filter((l) => (owned.get(l) ?? []).length === 0) };
}

/** The classifier's own class names (labels.txt in its folder). */
export function classifierLabels(modelDir: string): Promise<string[]> {
  return readLabels(join(modelDir, 'labels.txt'));
}

/**
 * Checks a mapping against the run's candidate labels and the classifier: every mapped label is a candidate, indices in
 * range and owned by one label, and at least k labels mapped (else the classifier could not propose k).
 */
export function checkCascadeMapping(input: CascadeMappingInput, labels: readonly string[], modelLabels: readonly string[], k: number): ClassMapping {
  const classes = input.classes.filter((c) => c.modelClasses.length > 0);
  const strangers = classes.map((c) => c.label).filter((l) => !labels.includes(l));
  if (strangers.length > 0) throw invalid(`Cascade mapping "${input.name}" names labels that are not candidates of the run: ${strangers.join(', ')}`);
  const mapping: ClassMapping = { name: input.name, classes: classes.map((c) => ({ label: c.label, modelClasses: [...c.modelClasses] })) };
  if (classes.length === 0) throw invalid(`Cascade mapping "${input.name}" maps no label to a classifier class`);
  try {
    resolveClassMapping(mapping, modelLabels.length);
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  if (classes.length < k) {
    throw invalid(`The cascade mapping covers only ${classes.length} of the ${labels.length} labels, fewer than k = ${k}; lower k or map more labels`);
  }
  return mapping;
}
