/** The import report's entry for a file that is not regular: only regular files are ever read (a FIFO would block open() forever). */
import type { Dirent, Stats } from 'node:fs';
import { specialKind } from '../files/regular-file';
import type { ImportIssue } from '../../shared/domain';

/** The report entry for a path that is not a regular file. */
export function notRegularIssue(path: string, s: Stats | Dirent, prefix = ''): ImportIssue {
  return { path, reason: 'not-a-regular-file', detail: `${prefix}${specialKind(s)}, not a regular file; only regular files are read` };
}
