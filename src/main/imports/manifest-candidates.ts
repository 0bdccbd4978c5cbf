/** Turns manifest records (path + label [+ split] columns) into import candidates; paths are absolute or relative to the manifest's folder. */
import { relative, sep } from 'node:path';
import type { ImportIssue, Split } from '../../shared/domain';
import { labelProblem } from '../../shared/label-rule';
import { StudioError } from '../errors';
import { splitFromName, type ImportCandidate } from './import-candidate';
import { badRow, type ManifestTable } from './manifest-records';
import { isInside, resolveListed } from './path-guard';

const PATH_COLUMNS = ['path', 'file_name', 'filename', 'file', 'image', 'image_path', 'filepath', 'file_path'];
const LABEL_COLUMNS = ['label', 'labels', 'class', 'class_name', 'category', 'species'];
const SPLIT_COLUMNS = ['split'];

export interface ManifestColumns {
  path: string;
  label: string | null;
  split: string | null;
}

function pick(columns: string[], names: string[]): string | null {
  for (const name of names) {
    const hit = columns.find((c) => c.toLowerCase() === name);
    if (hit) return hit;
  }
  return null;
}

/**
 * Chooses the path, label and split columns. With no known label column, a manifest with exactly
 * one other column uses it as the label; otherwise `labelRequired` decides between an error and
 * unlabelled samples.
 */
export function chooseColumns(table: ManifestTable, labelRequired: boolean): ManifestColumns {
  const { columns, file } = table;
  const path = pick(columns, PATH_COLUMNS);
  if (!path) {
    throw new StudioError(
      'invalid-args',
      `The manifest ${file} has no image path column (expected one of ${PATH_COLUMNS.join(', ')}); it has: ${columns.join(', ') || 'no columns'}`,
    );
  }
  const split = pick(columns, SPLIT_COLUMNS);
  let label = pick(columns, LABEL_COLUMNS);
  if (!label) {
    const others = columns.filter((c) => c !== path && c !== split);
    if (others.length === 1) label = others[0];
    else if (labelRequired) {
      throw new StudioError(
        'invalid-args',
        `The manifest ${file} has no label column (expected one of ${LABEL_COLUMNS.join(', ')}); it has: ${columns.join(', ')}`,
      );
    }
  }
  return { path, label, split };
}

export interface ToCandidatesOptions {
  /** Folder that relative paths start from. */
  baseDir: string;
  cols: ManifestColumns;
  /** Split used when the row has none (HF: the split folder holding the metadata file). */
  defaultSplit: Split | null;
  /** HF fallback: derive split/label from the file's relative folders when the row has none. */
  fromFolders?: boolean;
}

function labelOf(value: unknown): { ok: true; label: string | null } | { ok: false; detail: string } {
  if (value === undefined || value === null) return { ok: true, label: null };
  if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, label: String(value) };
  if (typeof value === 'string') return { ok: true, label: value.trim() === '' ? null : value.trim() };
  return { ok: false, detail: `label must be a single text value, got ${JSON.stringify(value).slice(0, 80)}` };
}

export async function manifestCandidates(
  table: ManifestTable,
  opts: ToCandidatesOptions,
): Promise<{ candidates: ImportCandidate[]; issues: ImportIssue[] }> {
  const candidates: ImportCandidate[] = [];
  const issues: ImportIssue[] = [...table.issues];
  for (const { line, fields } of table.records) {
    const ref = fields[opts.cols.path];
    if (typeof ref !== 'string' || ref.trim() === '') {
      issues.push(badRow(table.file, line, `missing value in the "${opts.cols.path}" column`));
      continue;
    }
    const lab = labelOf(opts.cols.label ? fields[opts.cols.label] : undefined);
    if (!lab.ok) {
      issues.push(badRow(table.file, line, lab.detail));
      continue;
    }
    const resolved = await resolveListed(opts.baseDir, ref.trim());
    if (!resolved.ok) {
      issues.push({ ...resolved.issue, detail: `line ${line}: ${resolved.issue.detail}` });
      continue;
    }
    // Folder-derived split/label (HF fallback) only for files below the metadata file's folder.
    const segments = isInside(opts.baseDir, resolved.path) ? relative(opts.baseDir, resolved.path).split(sep).filter(Boolean) : [];
    let split = opts.defaultSplit;
    const rawSplit = opts.cols.split ? fields[opts.cols.split] : undefined;
    if (typeof rawSplit === 'string' && rawSplit.trim() !== '') {
      split = splitFromName(rawSplit);
      if (!split) {
        issues.push(badRow(table.file, line, `unknown split "${rawSplit}" (use train, val or test)`));
        continue;
      }
    } else if (opts.fromFolders && !split && segments.length > 1) {
      split = splitFromName(segments[0]);
    }
    let label = lab.label;
    if (opts.fromFolders && label === null && !opts.cols.label) {
      const folders = segments.slice(splitFromName(segments[0] ?? '') ? 1 : 0, -1);
      label = folders[0] ?? null;
    }
    const problem = label === null ? null : labelProblem(label);
    if (problem) {
      issues.push({ path: `${table.file}:${line}`, reason: 'bad-label', detail: `line ${line}: label refused: ${problem}` });
      continue;
    }
    candidates.push({ path: resolved.path, label, split });
  }
  return { candidates, issues };
}
