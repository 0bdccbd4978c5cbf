/** Checks an import source and an export destination up front, so dialogs can refuse a bad path before a job starts. */
import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import type { ImportFormat } from '../../shared/domain';
import type { PathCheck } from '../../shared/path-check';
import { detectFormat } from '../imports/scan-source';

const fail = (path: string, message: string): PathCheck => ({ ok: false, path, message });

async function readable(path: string, folder: boolean): Promise<boolean> {
  try {
    await access(path, folder ? constants.R_OK | constants.X_OK : constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The source exists, is readable, and is a folder or a manifest matching the chosen format. */
export async function checkImportSource(source: string, format: ImportFormat): Promise<PathCheck> {
  const path = resolve(source);
  const st = await stat(path).catch(() => null);
  if (!st) return fail(path, `Nothing exists at ${path}`);
  const folder = st.isDirectory();
  if (!folder && !st.isFile()) return fail(path, `${path} is neither a folder nor a manifest file`);
  if (!(await readable(path, folder))) return fail(path, `${path} cannot be read (permission denied)`);
  let concrete: string;
  try {
    concrete = format === 'auto' ? await detectFormat(path) : format;
  } catch (error) {
    return fail(path, error instanceof Error ? error.message : String(error));
  }
  const wantsFolder = concrete === 'imagefolder' || concrete === 'hf-imagefolder';
  if (wantsFolder && !folder) return fail(path, `${path} is a file; this format needs a folder`);
  if (!wantsFolder && folder) return fail(path, `${path} is a folder; this format needs a .${concrete} manifest file`);
  if (!wantsFolder && extname(path).toLowerCase() !== `.${concrete}`) return fail(path, `${path} is not a .${concrete} file`);
  if (!folder) return { ok: true, path, message: `${concrete.toUpperCase()} manifest, ${st.size.toLocaleString('en')} bytes` };
  const entries = await readdir(path, { withFileTypes: true });
  if (entries.length === 0) return fail(path, `The folder ${path} is empty`);
  const subfolders = entries.filter((e) => e.isDirectory()).length;
  if (concrete !== 'imagefolder') return { ok: true, path, message: 'Hugging Face imagefolder (metadata file found)' };
  // Loose files are imported unlabelled (to label by keyboard), so a folder without class sub-folders is fine too.
  if (subfolders === 0) return { ok: true, path, message: 'Folder without class sub-folders: its images are imported unlabelled' };
  return { ok: true, path, message: `Folder with ${subfolders} class sub-folder${subfolders === 1 ? '' : 's'}` };
}

/** The destination is an empty folder, or absent with a writable folder above it to create it in. */
export async function checkExportDestination(destination: string): Promise<PathCheck> {
  const path = resolve(destination);
  const st = await stat(path).catch(() => null);
  if (st) {
    if (!st.isDirectory()) return fail(path, `${path} exists and is not a folder`);
    const entries = await readdir(path).catch(() => null);
    if (entries === null) return fail(path, `${path} cannot be read (permission denied)`);
    if (entries.length > 0) return fail(path, `${path} is not empty (${entries.length} item${entries.length === 1 ? '' : 's'}); choose an empty or new folder`);
    if (!(await writable(path))) return fail(path, `${path} is not writable`);
    return { ok: true, path, message: 'Empty folder: the export is written into it' };
  }
  let parent = dirname(path);
  for (;;) {
    const pst = await stat(parent).catch(() => null);
    if (pst) {
      if (!pst.isDirectory()) return fail(path, `${parent} is a file, so ${path} cannot be created`);
      if (!(await writable(parent))) return fail(path, `${parent} is not writable, so ${path} cannot be created`);
      return { ok: true, path, message: 'New folder: created by the export' };
    }
    const up = dirname(parent);
    if (up === parent) return fail(path, `No existing folder above ${path}`);
    parent = up;
  }
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
