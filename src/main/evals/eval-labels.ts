/** Label checks for eval runs: candidate labels (a superset of the snapshot's classes), the abstain label, the class mapping. */
import { join } from 'node:path';
import { StudioError } from '../errors';
import { CLASS_MAPPING_PRESETS, resolveClassMapping, type ClassMapping } from '../inference/classifier/class-mapping';
import { readLabels } from '../inference/classifier/load-onnx-classifier';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

/** Names what one list has that the other lacks, for "must be the same set" errors. */
export function describeSetDifference(expected: readonly string[], actual: readonly string[], actualName: string): string {
  const missing = expected.filter((l) => !actual.includes(l));
  const extra = actual.filter((l) => !expected.includes(l));
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing from ${actualName}: ${missing.join(', ')}`);
  if (extra.length > 0) parts.push(`not classes of the snapshot: ${extra.join(', ')}`);
  return parts.join('; ');
}

/**
 * The run's ordered CANDIDATE list: `requested` (e.g. a YAML candidate_labels / label_mapping) when given, else the
 * version's class order. Candidates may go beyond the version's classes (49 car makers offered for a 6-make test
 * set) but must contain every class, so every truth has a right answer. Refuses duplicates and fewer than two labels.
 */
export function checkRunLabels(versionClasses: readonly string[], requested?: readonly string[]): string[] {
  const labels = requested === undefined ? [...versionClasses] : [...requested];
  if (labels.some((l) => typeof l !== 'string' || l.trim() === '')) throw invalid('Labels must be non-empty text');
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw invalid(`Label "${dup}" appears twice in the label order`);
  const missing = versionClasses.filter((c) => !labels.includes(c));
  if (missing.length > 0) {
    throw invalid(
      `The candidate labels must include every class of the snapshot (${versionClasses.join(', ')}); missing: ${missing.join(', ')}`,
    );
  }
  if (labels.length < 2) throw invalid(`An eval needs at least 2 classes; the snapshot has ${labels.length} (${labels.join(', ')})`);
  return labels;
}

/** The truth classes in candidate order: the rows of the confusion matrix and the classes metrics average over. */
export function truthLabelsOf(labels: readonly string[], versionClasses: readonly string[]): string[] {
  return labels.filter((l) => versionClasses.includes(l));
}

/**
 * Validates an abstain label: one of the candidates and not a class of the snapshot (a class the data actually has,
 * like an "other" folder, is a real answer, not a refusal). Null/undefined/blank = no abstain option.
 */
export function checkAbstainLabel(labels: readonly string[], versionClasses: readonly string[], abstain: string | null | undefined): string | null {
  if (abstain === null || abstain === undefined || abstain.trim() === '') return null;
  if (!labels.includes(abstain)) {
    throw invalid(`The abstain label "${abstain}" is not one of the candidate labels; add it to the candidates first`);
  }
  if (versionClasses.includes(abstain)) {
    throw invalid(`The abstain label "${abstain}" is a class of the snapshot, so answering it can be right; pick a candidate outside the classes`);
  }
  return abstain;
}

/**
 * A classifier run's default candidates when it names a mapping but no label order: the mapping's targets (its
 * "other"/rest target and abstain target included, so they may go beyond the snapshot's classes) and its abstain target.
 */
export async function mappingCandidates(
  modelDir: string,
  name: string,
  saved: (name: string) => { mapping: ClassMapping; modelClassCount: number } | null,
): Promise<{ labels: string[]; abstain: string | null } | null> {
  const mapping = CLASS_MAPPING_PRESETS[name] ?? saved(name)?.mapping;
  if (!mapping) return null;
  const modelLabels = await readLabels(join(modelDir, 'labels.txt'));
  try {
    return { labels: resolveClassMapping(mapping, modelLabels.length).labels, abstain: mapping.abstain ?? null };
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Resolves a classifier run's mapping: a preset or a saved mapping (`saved` looks one up by name) whose targets equal
 * `labels`, or null when the model's labels.txt already names exactly the run's labels (identity).
 */
export async function resolveRunMapping(
  modelDir: string,
  labels: readonly string[],
  presetName: string | null,
  saved: (name: string) => { mapping: ClassMapping; modelClassCount: number } | null = () => null,
): Promise<ClassMapping | null> {
  const modelLabels = await readLabels(join(modelDir, 'labels.txt'));
  if (presetName !== null) {
    const stored = saved(presetName);
    const mapping = CLASS_MAPPING_PRESETS[presetName] ?? stored?.mapping;
    if (!mapping) {
      throw invalid(`Unknown class mapping "${presetName}"; available: ${Object.keys(CLASS_MAPPING_PRESETS).join(', ')} and the saved mappings`);
    }
    if (stored && !CLASS_MAPPING_PRESETS[presetName] && stored.modelClassCount !== modelLabels.length) {
      throw invalid(`Class mapping "${presetName}" was built for a model with ${stored.modelClassCount} classes; this model has ${modelLabels.length}`);
    }
    let mapped: string[];
    try {
      mapped = resolveClassMapping(mapping, modelLabels.length).labels;
    } catch (err) {
      throw invalid(err instanceof Error ? err.message : String(err));
    }
    const diff = describeSetDifference(labels, mapped, `mapping "${presetName}"`);
    if (diff) throw invalid(`Class mapping "${presetName}" maps to ${mapped.join(', ')}, not the snapshot's classes: ${diff}`);
    return mapping;
  }
  const diff = describeSetDifference(labels, modelLabels, "the model's labels.txt");
  if (diff) {
    throw invalid(
      `The classifier's own labels (${modelLabels.length} in labels.txt) are not the snapshot's classes: ${shorten(diff)}. ` +
        `Pick a class mapping (${Object.keys(CLASS_MAPPING_PRESETS).join(', ')} or a saved one) to group the model's classes.`,
    );
  }
  return null;
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
