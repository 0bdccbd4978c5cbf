/**
 * Reads an imagefolder: each first-level sub-folder is a class (files in deeper folders belong to
 * it); when every first-level folder is a split name (train/val/validation/test…) the level below
 * holds the classes (Hugging Face convention). Loose files are imported unlabelled, except known side files (README, labels.json…), which are skipped and listed.
 */
import { realpath } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ImportIssue, Split } from '../../shared/domain';
import { labelProblem } from '../../shared/label-rule';
import { isSideFile } from '../../shared/side-files';
import { walkFiles, listFolder } from './folder-walk';
import { splitFromName, type ImportCandidate, type ScanResult } from './import-candidate';

export async function scanImageFolder(source: string): Promise<ScanResult> {
  const root = resolve(source);
  const realRoot = await realpath(root);
  const issues: ImportIssue[] = [];
  const candidates: ImportCandidate[] = [];
  const visited = new Set<string>([realRoot]);
  const top = await listFolder(root, realRoot, issues);
  const topDirs = top.filter((e) => e.kind === 'dir');
  const splitMode = topDirs.length > 0 && topDirs.every((d) => splitFromName(basename(d.path)) !== null);
  const skippedSideFiles: string[] = [];
  for (const entry of top) {
    if (entry.kind === 'file' && isSideFile(basename(entry.path))) {
      skippedSideFiles.push(entry.path);
    } else if (entry.kind === 'file') {
      candidates.push({ path: entry.path, label: null, split: null });
    } else if (splitMode) {
      await scanClasses(entry.path, realRoot, splitFromName(basename(entry.path)), { candidates, issues, skippedSideFiles }, visited);
    } else {
      await addClassFolder(entry.path, realRoot, null, candidates, issues, visited);
    }
  }
  return { format: 'imagefolder', root, candidates, issues, skippedSideFiles, classOrder: 'by-name' };
}

/** One split folder: sub-folders are classes, known side files are skipped, other loose files are unlabelled samples of that split. */
async function scanClasses(
  dir: string,
  realRoot: string,
  split: Split | null,
  out: { candidates: ImportCandidate[]; issues: ImportIssue[]; skippedSideFiles: string[] },
  visited: Set<string>,
): Promise<void> {
  visited.add(await realpath(dir));
  for (const entry of await listFolder(dir, realRoot, out.issues)) {
    if (entry.kind === 'file' && isSideFile(basename(entry.path))) out.skippedSideFiles.push(entry.path);
    else if (entry.kind === 'file') out.candidates.push({ path: entry.path, label: null, split });
    else await addClassFolder(entry.path, realRoot, split, out.candidates, out.issues, visited);
  }
}

/** Every file below a class folder is a candidate labelled with the folder's name, or a bad-label issue when the name breaks the label rule. */
async function addClassFolder(
  dir: string,
  realRoot: string,
  split: Split | null,
  candidates: ImportCandidate[],
  issues: ImportIssue[],
  visited: Set<string>,
): Promise<void> {
  const label = basename(dir);
  const problem = labelProblem(label);
  for (const path of await walkFiles(dir, realRoot, issues, visited)) {
    if (problem) issues.push({ path, reason: 'bad-label', detail: `class folder name refused: ${problem}` });
    else candidates.push({ path, label: label.trim(), split });
  }
}
