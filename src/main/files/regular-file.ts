/** Reading only regular files: a FIFO, socket or device is named, never read (open() of a FIFO blocks until a writer comes). */
import { constants, type Dirent, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** "a named pipe (FIFO)", "a socket", … for anything that is not a regular file. */
export function specialKind(s: Stats | Dirent): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isDirectory()) return 'a folder';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a regular file`);
  }
}

/** The file's bytes when it is a regular file; O_NONBLOCK + fstat, so a FIFO is refused at once instead of blocking. */
export async function readRegularFile(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotRegularFileError(path, specialKind(st));
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}
