/** Content hashing (sha256, hex) for the content-addressed image store: streaming for files, direct for buffers already read. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of a file's bytes, streamed so large files never sit in memory whole. */
export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

/** sha256 of bytes already in memory (the import reads each small file once and hashes that buffer). */
export function hashBuffer(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
