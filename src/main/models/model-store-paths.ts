/** Names of folders in the studio's model store, so the downloader, the store listing and tests agree on them. */
import { join } from 'node:path';
import { StudioError } from '../errors';

/** Partial downloads live here (hidden from store listings) until they're complete and verified. */
export const PARTIAL_DIR = '.partial';

const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Throws a clear error unless repoId looks like "owner/name". */
export function parseRepoId(repoId: string): { owner: string; name: string } {
  const trimmed = repoId.trim();
  if (!REPO_ID.test(trimmed) || trimmed.includes('..')) {
    throw new StudioError('invalid-args', `"${repoId}" is not a Hugging Face model id: use owner/name, e.g. LiquidAI/LFM2-VL-450M`);
  }
  const [owner, name] = trimmed.split('/');
  return { owner, name };
}

export function checkRevision(revision: string): void {
  if (revision === '' || revision.length > 200 || /[\s\\]|\.\./.test(revision) || revision.startsWith('/')) {
    throw new StudioError('invalid-args', `"${revision}" is not a usable revision: give a branch, tag or commit (e.g. main)`);
  }
}

/** `<owner>--<name>--<revision>` with any '/' in the revision (refs/pr/1) turned into '_'. */
export function storeFolderName(repoId: string, revision: string): string {
  const { owner, name } = parseRepoId(repoId);
  checkRevision(revision);
  return `${owner}--${name}--${revision.replace(/\//g, '_')}`;
}

export function storeFolderPath(destRoot: string, repoId: string, revision: string): string {
  return join(destRoot, storeFolderName(repoId, revision));
}

/** Where a download collects its files (and `.part` files) before the final rename. */
export function partialFolderPath(destRoot: string, repoId: string, revision: string): string {
  return join(destRoot, PARTIAL_DIR, storeFolderName(repoId, revision));
}
