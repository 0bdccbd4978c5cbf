/** Entry point for "what is in this model folder and can the studio run it": never throws for a broken folder. */
import { stat } from 'node:fs/promises';
import type { ModelInspection } from '../../shared/model-types';
import { StudioError } from '../errors';
import { inspectClassifier, topLevelOnnx } from './inspect-classifier';
import { inspectVlm } from './inspect-vlm';
import { listModelFiles, MODEL_LISTING_LIMITS, readJsonObject } from './model-folder-files';
import { readProvenance } from './model-provenance';

/**
 * Inspects a model folder. Throws only when `dir` doesn't exist or isn't a folder; everything wrong inside it is
 * reported in `problems` (with `supported: false` when it stops the model from loading).
 */
export async function inspectModelFolder(dir: string): Promise<ModelInspection> {
  const s = await stat(dir).catch(() => null);
  if (!s) throw new StudioError('not-found', `Model folder not found: ${dir}`);
  if (!s.isDirectory()) throw new StudioError('invalid-args', `Not a folder: ${dir} (pick the folder that holds config.json or the .onnx file)`);

  const unreadable: string[] = [];
  let stopped: string | null = null;
  const files = await listModelFiles(dir, unreadable, { ...MODEL_LISTING_LIMITS, onStop: (why) => (stopped = why) });
  if (stopped !== null) {
    const reason = `${stopped}: this does not look like a model folder`;
    const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
    return { files, totalBytes, dtypes: [], bytesByDtype: {}, kind: null, architecture: null, supported: false, supportReason: reason, problems: [reason, ...unreadable], provenance: { source: 'local' } };
  }
  if (unreadable.length > 0 && files.length === 0) {
    const provenance = { source: 'local' as const };
    return { files, totalBytes: 0, dtypes: [], bytesByDtype: {}, kind: null, architecture: null, supported: false, supportReason: unreadable[0], problems: unreadable, provenance };
  }
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const base = { files, totalBytes, dtypes: [], bytesByDtype: {} };
  const hasConfig = files.some((f) => f.path === 'config.json');

  if (hasConfig) {
    const config = await readJsonObject(dir, 'config.json', '');
    const provenance = await readProvenance(dir, config.ok ? config.value : null);
    if (!config.ok) {
      return { ...base, kind: null, architecture: null, supported: false, supportReason: config.problem, problems: [config.problem], provenance };
    }
    const vlm = await inspectVlm(dir, config.value, files);
    return { ...base, ...vlm, problems: unique([...unreadable, ...vlm.problems]), provenance };
  }

  const provenance = await readProvenance(dir, null);
  if (topLevelOnnx(files).length > 0) {
    const c = await inspectClassifier(dir, files);
    return { ...base, kind: 'onnx-classifier', architecture: null, ...c, problems: unique([...unreadable, ...c.problems]), provenance };
  }
  const reason =
    files.length === 0
      ? 'the folder is empty'
      : 'not a model folder: expected config.json (vision-language model) or a .onnx file with labels.txt (classifier)';
  return { ...base, kind: null, architecture: null, supported: false, supportReason: reason, problems: [reason], provenance };
}

/** Problems in order, each once (the listing and a file reader report a special file with the same line). */
function unique(problems: string[]): string[] {
  return [...new Set(problems)];
}
