/** Resolves a sample id to its thumbnail/original inside the workspace store: never a caller-supplied path. Shared by the browser host and the Electron media protocol. */
import { assertNever } from '../../shared/assert-never';
import type { StudioErrorPayload } from '../../shared/ipc-contract';
import { StudioError } from '../errors';
import { readStoreFile } from '../images/store-file';
import { imagePath, thumbPath, type Workspace } from '../workspace/workspace';

export type MediaKind = 'thumb' | 'image';

export interface MediaFile {
  bytes: Buffer;
  contentType: string;
}

const HASH_RE = /^[0-9a-f]{64}$/;
const EXT_RE = /^[a-z0-9]{1,10}$/;
const ID_RE = /^[1-9][0-9]{0,14}$/;

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  avif: 'image/avif',
};

export function isMediaKind(value: string): value is MediaKind {
  return value === 'thumb' || value === 'image';
}

/** Parses a decimal sample id from a URL segment; null when it is not a positive safe integer. */
export function parseSampleId(segment: string): number | null {
  if (!ID_RE.test(segment)) return null;
  const n = Number(segment);
  return Number.isSafeInteger(n) ? n : null;
}

export function imageContentType(ext: string): string {
  return IMAGE_TYPES[ext.toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Looks the sample up and reads its store file: never through a symlink, only a regular file, and an
 * original only when its bytes match its hash. Throws StudioError ('not-found' when missing).
 * With a version id, the image that version froze for the sample (a robustness split's corrupted copy).
 */
export async function readMediaFile(ws: Workspace, kind: MediaKind, sampleId: number, versionId: number | null = null): Promise<MediaFile> {
  const row = (
    versionId === null
      ? ws.db.prepare('SELECT s.image_hash AS hash, i.ext AS ext FROM samples s JOIN images i ON i.hash = s.image_hash WHERE s.id = ?').get(sampleId)
      : ws.db
          .prepare('SELECT v.image_hash AS hash, i.ext AS ext FROM version_samples v JOIN images i ON i.hash = v.image_hash WHERE v.version_id = ? AND v.sample_id = ?')
          .get(versionId, sampleId)
  ) as { hash: string; ext: string } | undefined;
  if (!row) throw new StudioError('not-found', versionId === null ? `sample ${sampleId} not found` : `sample ${sampleId} of version ${versionId} not found`);
  const hash = String(row.hash).toLowerCase();
  const ext = String(row.ext).toLowerCase().replace(/^\./, '');
  if (!HASH_RE.test(hash) || !EXT_RE.test(ext)) throw new StudioError('failed', 'corrupt image record');
  const path = kind === 'thumb' ? thumbPath(ws, hash) : imagePath(ws, hash, ext);
  const contentType = kind === 'thumb' ? 'image/webp' : imageContentType(ext);
  const bytes = await readStoreFile(path, kind === 'thumb' ? null : hash, kind === 'thumb' ? 'thumbnail' : 'original');
  return { bytes, contentType };
}

/** HTTP status for each error code, used by every HTTP-ish transport (browser host, media protocol). */
export function statusForError(code: StudioErrorPayload['code']): number {
  switch (code) {
    case 'invalid-args':
      return 400;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'failed':
      return 500;
    default:
      return assertNever(code, 'error code');
  }
}
