/** Picks the reader for an import source: explicit format, or 'auto' detection (metadata file → HF imagefolder, folder, .csv, .jsonl). */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { ImportFormat } from '../../shared/domain';
import { assertNever } from '../../shared/assert-never';
import { StudioError } from '../errors';
import type { ConcreteImportFormat, ScanResult } from './import-candidate';
import { scanImageFolder } from './scan-imagefolder';
import { findMetadataFiles, scanHfImageFolder, scanManifest } from './scan-manifest';

/** Stats the source, turning a missing path into the user-facing "not found" error. */
async function statSource(abs: string): Promise<Stats> {
  try {
    return await stat(abs);
  } catch {
    throw new StudioError('invalid-args', `Import source not found: ${abs}`);
  }
}

export async function detectFormat(source: string): Promise<ConcreteImportFormat> {
  const abs = resolve(source);
  const st = await statSource(abs);
  if (st.isDirectory()) return (await findMetadataFiles(abs)).length > 0 ? 'hf-imagefolder' : 'imagefolder';
  const ext = extname(abs).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl') return 'jsonl';
  throw new StudioError('invalid-args', `Cannot tell the import format of ${abs}: choose a folder, a .csv or a .jsonl manifest`);
}

async function requireKind(source: string, kind: 'dir' | 'file'): Promise<void> {
  const abs = resolve(source);
  const st = await statSource(abs);
  if (kind === 'dir' && !st.isDirectory()) throw new StudioError('invalid-args', `${abs} is not a folder`);
  if (kind === 'file' && !st.isFile()) throw new StudioError('invalid-args', `${abs} is not a manifest file`);
}

export async function scanSource(source: string, format: ImportFormat): Promise<ScanResult> {
  const concrete = format === 'auto' ? await detectFormat(source) : format;
  switch (concrete) {
    case 'imagefolder':
      await requireKind(source, 'dir');
      return scanImageFolder(source);
    case 'hf-imagefolder':
      await requireKind(source, 'dir');
      return scanHfImageFolder(source);
    case 'csv':
    case 'jsonl':
      await requireKind(source, 'file');
      return scanManifest(source, concrete);
    default:
      return assertNever(concrete, 'import format');
  }
}
