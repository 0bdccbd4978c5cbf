/**
 * Exports a dataset version as an imagefolder, images + labels.csv, or TRL/LLaVA chat JSONL.
 * Everything is written into a hidden temp sibling of the destination and renamed into place at
 * the end, so a failed or cancelled export leaves nothing half-written.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ExportRequest, ExportResult } from '../../shared/domain';
import { assertNever } from '../../shared/assert-never';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT, renderPrompt } from '../../shared/prompt-template';
import { conflict, StudioError } from '../errors';
import { readStoreFile, StoreFileError } from '../images/store-file';
import { imagePath, type Workspace } from '../workspace/workspace';
import { csvField, exportFileName, safeSegment, uniqueFolders } from './export-names';
import { readVersionForExport, type ExportSample } from './version-rows';

type ExportWorkspace = Pick<Workspace, 'db' | 'imagesDir'>;

/** Refuses a destination that exists and is not an empty folder. */
async function checkDestination(dest: string): Promise<boolean> {
  let st;
  try {
    st = await stat(dest);
  } catch {
    return false;
  }
  if (!st.isDirectory()) throw conflict(`The export destination ${dest} exists and is not a folder`);
  if ((await readdir(dest)).length > 0) throw conflict(`The export destination ${dest} is not empty; choose an empty or new folder`);
  return true;
}

function splitName(s: ExportSample): string {
  return s.split ?? 'all';
}

/** The label → folder map of an imagefolder export lists this file at the export root. */
export const LABEL_FOLDERS_FILE = 'label-folders.json';

/** Relative path (with "/" separators) the sample's image gets inside the export. */
function imageRelPath(format: ExportRequest['format'], s: ExportSample, folders: Map<string, string>): string {
  const file = exportFileName(s.hash, s.originalPath, s.ext);
  switch (format) {
    case 'imagefolder':
      return `${splitName(s)}/${folders.get(s.label) ?? safeSegment(s.label)}/${file}`;
    case 'csv':
    case 'jsonl-chat':
      return `images/${file}`;
    default:
      return assertNever(format, 'export format');
  }
}

/** One TRL/LLaVA chat JSONL line (the fine-tune bundle writes the same). */
export function chatLine(rel: string, label: string, system: string, user: string): string {
  return JSON.stringify({
    image: rel,
    messages: [
      { role: 'system', content: [{ type: 'text', text: system }] },
      { role: 'user', content: [{ type: 'image' }, { type: 'text', text: user }] },
      { role: 'assistant', content: [{ type: 'text', text: label }] },
    ],
  });
}

/** Writes the manifest files for the format; returns their paths relative to the export root. */
async function writeManifests(
  temp: string,
  req: ExportRequest,
  classes: string[],
  rows: { s: ExportSample; rel: string }[],
  labelFolders: Map<string, string>,
): Promise<string[]> {
  switch (req.format) {
    case 'imagefolder': {
      const folders = new Set(rows.map((r) => r.rel.split('/').slice(0, 2).join('/')));
      const mapping = [...labelFolders].map(([label, folder]) => ({ label, folder }));
      await writeFile(join(temp, LABEL_FOLDERS_FILE), `${JSON.stringify(mapping, null, 2)}\n`);
      return [LABEL_FOLDERS_FILE, ...[...folders].sort()];
    }
    case 'csv': {
      const lines = ['path,label,split', ...rows.map((r) => [r.rel, r.s.label, r.s.split ?? ''].map(csvField).join(','))];
      await writeFile(join(temp, 'labels.csv'), `${lines.join('\n')}\n`);
      return ['labels.csv'];
    }
    case 'jsonl-chat': {
      const system = renderPrompt(req.systemPrompt ?? DEFAULT_SYSTEM_PROMPT, classes);
      const user = renderPrompt(req.userPrompt ?? DEFAULT_USER_PROMPT, classes);
      const bySplit = new Map<string, string[]>();
      for (const r of rows) {
        const name = `${splitName(r.s)}.jsonl`;
        const list = bySplit.get(name) ?? [];
        list.push(chatLine(r.rel, r.s.label, system, user));
        bySplit.set(name, list);
      }
      for (const [name, lines] of bySplit) await writeFile(join(temp, name), `${lines.join('\n')}\n`);
      return [...bySplit.keys()];
    }
    default:
      return assertNever(req.format, 'export format');
  }
}

export async function runExport(
  ws: ExportWorkspace,
  req: ExportRequest,
  onProgress: (value: number, message: string) => void = () => {},
  signal?: AbortSignal,
): Promise<ExportResult> {
  const dest = resolve(req.destination);
  const destExists = await checkDestination(dest);
  const version = readVersionForExport(ws.db, req.versionId);
  const labelFolders = uniqueFolders([...version.classes, ...version.samples.map((s) => s.label)]);
  const rows = version.samples.map((s) => ({ s, rel: imageRelPath(req.format, s, labelFolders) }));
  await mkdir(dirname(dest), { recursive: true });
  const temp = join(dirname(dest), `.${basename(dest)}.partial-${randomBytes(4).toString('hex')}`);
  await mkdir(temp);
  try {
    onProgress(0, `Exporting ${rows.length} images of "${version.name}"`);
    const made = new Set<string>();
    let next = 0;
    let done = 0;
    let lastReported = 0;
    let failure: unknown = null;
    const copyOne = async (s: ExportSample, rel: string): Promise<void> => {
      const target = join(temp, ...rel.split('/'));
      const dir = dirname(target);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      // Read through the checked reader (no symlink, regular file, bytes match the hash), never a blind copy.
      let bytes: Buffer;
      try {
        bytes = await readStoreFile(imagePath(ws, s.hash, s.ext), s.hash);
      } catch (err) {
        if (err instanceof StoreFileError && err.problem === 'missing') {
          throw new StudioError('failed', `The stored image for ${s.originalPath} (${s.hash}) is missing from the workspace`);
        }
        if (err instanceof StoreFileError) throw new StudioError('failed', `Cannot export ${s.originalPath}: the ${err.message}`);
        throw err;
      }
      await writeFile(target, bytes);
      done++;
      if (done === rows.length || done - lastReported >= Math.max(1, rows.length / 100)) {
        lastReported = done;
        onProgress((0.95 * done) / rows.length, `Copied ${done} of ${rows.length} images`);
      }
    };
    // Lanes stop at the first failure and all settle before the temp folder is removed.
    const lane = async (): Promise<void> => {
      while (next < rows.length && failure === null && !signal?.aborted) {
        const { s, rel } = rows[next++];
        try {
          await copyOne(s, rel);
        } catch (err) {
          failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, rows.length) }, lane));
    if (failure !== null) throw failure;
    if (signal?.aborted) throw new StudioError('failed', 'Export cancelled');
    const files = await writeManifests(temp, req, version.classes, rows, labelFolders);
    if (destExists) await rmdir(dest);
    await rename(temp, dest);
    onProgress(1, `Exported ${rows.length} samples to ${dest}`);
    const result: ExportResult = { destination: dest, files, sampleCount: rows.length };
    if (req.format === 'imagefolder') result.labelFolders = Object.fromEntries(labelFolders);
    return result;
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}
