/** What every import reader produces: files to import (with label and split) plus the rows/files it had to refuse. */
import type { ImportFormat, ImportIssue, Split } from '../../shared/domain';

export type ConcreteImportFormat = Exclude<ImportFormat, 'auto'>;

export interface ImportCandidate {
  /** Absolute path of the file (as found under the root; symlinks inside the root are allowed). */
  path: string;
  label: string | null;
  split: Split | null;
}

export interface ScanResult {
  format: ConcreteImportFormat;
  /** Folder nothing may escape from (the chosen folder, or the manifest's folder). */
  root: string;
  candidates: ImportCandidate[];
  /** Refused before any file was read: bad manifest rows, missing files, links out of the root. */
  issues: ImportIssue[];
  /** Known side files at an ImageFolder's root, skipped without an issue. */
  skippedSideFiles: string[];
  /** Folder imports order classes by name; manifests keep first-appearance order. */
  classOrder: 'by-name' | 'first-appearance';
}

/** Folder names (case-insensitive) that mark a split in the Hugging Face imagefolder convention. */
const SPLIT_NAMES: Record<string, Split> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  dev: 'val',
  test: 'test',
  testing: 'test',
};

/** Maps a folder name or manifest value to a split, or null when it is not one. */
export function splitFromName(name: string): Split | null {
  return SPLIT_NAMES[name.trim().toLowerCase()] ?? null;
}
