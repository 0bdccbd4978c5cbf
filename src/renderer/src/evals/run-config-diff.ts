/** What differs between two runs' configurations: field rows plus line diffs of the prompts and the label list. */
import type { EvalRun } from '../../../shared/eval-types';

export type DiffLine = { kind: 'same' | 'removed' | 'added'; text: string };

/** A plain line diff (longest common subsequence): removed lines of `a`, added lines of `b`, shared lines in order. */
export function lineDiff(a: string, b: string): DiffLine[] {
  const x = a === '' ? [] : a.split('\n');
  const y = b === '' ? [] : b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      out.push({ kind: 'same', text: x[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ kind: 'removed', text: x[i++] });
    else out.push({ kind: 'added', text: y[j++] });
  }
  while (i < x.length) out.push({ kind: 'removed', text: x[i++] });
  while (j < y.length) out.push({ kind: 'added', text: y[j++] });
  return out;
}

export interface ConfigField {
  id: string;
  label: string;
  a: string;
  b: string;
  same: boolean;
  /** Multi-line fields (prompts, labels) carry their line diff. */
  lines?: DiffLine[];
}

function field(id: string, label: string, a: string, b: string, multiline = false): ConfigField {
  return { id, label, a, b, same: a === b, ...(multiline && a !== b ? { lines: lineDiff(a, b) } : {}) };
}

/** The compared fields, in a fixed order; the caller may show only those that differ. */
export function runConfigDiff(a: EvalRun, b: EvalRun): ConfigField[] {
  const usesPrompt = (r: EvalRun) => r.mode !== 'classifier';
  return [
    field('model', 'Model', a.config.modelName, b.config.modelName),
    field('mode', 'Mode', a.mode, b.mode),
    field('system-prompt', 'System prompt', usesPrompt(a) ? a.systemPrompt : '(classifier: no prompt)', usesPrompt(b) ? b.systemPrompt : '(classifier: no prompt)', true),
    field('user-prompt', 'User prompt', usesPrompt(a) ? a.userPrompt : '(classifier: no prompt)', usesPrompt(b) ? b.userPrompt : '(classifier: no prompt)', true),
    field('labels', 'Labels', a.labels.join('\n'), b.labels.join('\n'), true),
    field('class-mapping', 'Class mapping', a.classMapping ?? '—', b.classMapping ?? '—'),
    field('version', 'Snapshot', a.config.versionName, b.config.versionName),
    field('split', 'Split', a.split, b.split),
    field('samples', 'Samples', a.nSamples === null ? 'whole split' : String(a.nSamples), b.nSamples === null ? 'whole split' : String(b.nSamples)),
    field('seed', 'Seed', String(a.seed), String(b.seed)),
    field('dtype', 'Dtype', a.dtype ?? '—', b.dtype ?? '—'),
    field('device', 'Device', a.device, b.device),
  ];
}
