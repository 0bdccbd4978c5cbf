/** Label-order and class-mapping checks for eval runs: the run's labels must be the snapshot's classes. */
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
 * The run's ordered label list: `requested` (e.g. a YAML label_mapping) when given, else the version's class order.
 * Refuses duplicates, a different set than the version's classes, and fewer than two labels.
 */
export function checkRunLabels(versionClasses: readonly string[], requested?: readonly string[]): string[] {
  const labels = requested === undefined ? [...versionClasses] : [...requested];
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw invalid(`Label "${dup}" appears twice in the label order`);
  if (labels.some((l) => typeof l !== 'string' || l.trim() === '')) throw invalid('Labels must be non-empty text');
  if (requested !== undefined) {
    const diff = describeSetDifference(versionClasses, labels, 'the label order');
    if (diff) throw invalid(`The label order must list exactly the snapshot's classes (${versionClasses.join(', ')}): ${diff}`);
  }
  if (labels.length < 2) throw invalid(`An eval needs at least 2 classes; the snapshot has ${labels.length} (${labels.join(', ')})`);
  return labels;
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
