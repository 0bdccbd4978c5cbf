/** CSV / JSONL manifest imports (columns path|file_name|image, label, optional split) and Hugging Face imagefolder with metadata files. */
import { realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve, basename } from 'node:path';
import type { ImportIssue } from '../../shared/domain';
import { StudioError } from '../errors';
import { listFolder } from './folder-walk';
import { splitFromName, type ImportCandidate, type ScanResult } from './import-candidate';
import { chooseColumns, manifestCandidates } from './manifest-candidates';
import { readCsvManifest, readJsonlManifest, readManifest } from './manifest-records';

export async function scanManifest(source: string, format: 'csv' | 'jsonl'): Promise<ScanResult> {
  const file = resolve(source);
  const table = format === 'csv' ? await readCsvManifest(file) : await readJsonlManifest(file);
  const root = dirname(file);
  const cols = chooseColumns(table, true);
  const { candidates, issues } = await manifestCandidates(table, { baseDir: root, cols, defaultSplit: null });
  return { format, root, candidates, issues, skippedSideFiles: [], classOrder: 'first-appearance' };
}

const METADATA_NAMES = ['metadata.csv', 'metadata.jsonl'];

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Metadata files of an HF imagefolder: at the root and/or directly inside split folders. */
export async function findMetadataFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of METADATA_NAMES) if (await isFile(join(root, name))) found.push(join(root, name));
  const realRoot = await realpath(root);
  for (const entry of await listFolder(root, realRoot, [])) {
    if (entry.kind !== 'dir' || !splitFromName(basename(entry.path))) continue;
    for (const name of METADATA_NAMES) if (await isFile(join(entry.path, name))) found.push(join(entry.path, name));
  }
  return found;
}

/**
 * HF imagefolder: each metadata file lists file_name (relative to the metadata file's folder) and a
 * label column; the split comes from the folder holding the metadata file or the file's first folder.
 */
export async function scanHfImageFolder(source: string): Promise<ScanResult> {
  const root = resolve(source);
  const files = await findMetadataFiles(root);
  if (files.length === 0) {
    throw new StudioError('invalid-args', `${root} has no metadata.csv or metadata.jsonl (at the top or in train/val/test folders)`);
  }
  const candidates: ImportCandidate[] = [];
  const issues: ImportIssue[] = [];
  for (const file of files) {
    const table = await readManifest(file);
    const cols = chooseColumns(table, false);
    const baseDir = dirname(file);
    const defaultSplit = baseDir === root ? null : splitFromName(basename(baseDir));
    const part = await manifestCandidates(table, { baseDir, cols, defaultSplit, fromFolders: true });
    for (const c of part.candidates) candidates.push(c);
    for (const i of part.issues) issues.push(i);
  }
  return { format: 'hf-imagefolder', root, candidates, issues, skippedSideFiles: [], classOrder: 'first-appearance' };
}
