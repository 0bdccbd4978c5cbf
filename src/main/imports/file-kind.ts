/** Names what a non-regular file is, for the import report: only regular files are ever opened (a FIFO would block open() forever). */
import type { Dirent, Stats } from 'node:fs';
import type { ImportIssue } from '../../shared/domain';

/** "a named pipe (FIFO)", "a socket", … for anything that is not a regular file or a folder. */
export function specialKind(s: Stats | Dirent): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isDirectory()) return 'a folder';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

/** The report entry for a path that is not a regular file. */
export function notRegularIssue(path: string, s: Stats | Dirent, prefix = ''): ImportIssue {
  return { path, reason: 'not-a-regular-file', detail: `${prefix}${specialKind(s)}, not a regular file; only regular files are read` };
}
