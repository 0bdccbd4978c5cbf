/** The trainer's live files of one fine-tune job (run/train.log, run/metrics.jsonl) as the monitor reads them. */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { FinetuneMetricLine } from '../../shared/finetune-types';
import { finetuneRunDir } from './finetune-paths';
import { readMetrics } from './finetune-metrics';

/** The most bytes one finetunes:log call returns. */
export const LOG_CHUNK_BYTES = 64 * 1024;

export { finetuneRunDir };

/** Bytes [offset, offset + 64 KB) of train.log, cut back to a whole UTF-8 character; nextOffset is where the next call starts. */
export function readLogChunk(workspaceRoot: string, jobId: string, offset: number): { text: string; nextOffset: number; size: number } {
  const file = join(finetuneRunDir(workspaceRoot, jobId), 'train.log');
  if (!existsSync(file)) return { text: '', nextOffset: 0, size: 0 };
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.min(offset, size);
    const buf = Buffer.alloc(Math.min(LOG_CHUNK_BYTES, size - start));
    const read = readSync(fd, buf, 0, buf.length, start);
    const end = wholeCharEnd(buf, read);
    return { text: buf.subarray(0, end).toString('utf8'), nextOffset: start + end, size };
  } finally {
    closeSync(fd);
  }
}

/** Length of buf[0, n) without a trailing, incomplete UTF-8 sequence. */
function wholeCharEnd(buf: Buffer, n: number): number {
  for (let i = n - 1; i >= Math.max(0, n - 4); i--) {
    const b = buf[i];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + need <= n ? n : i;
  }
  return n;
}

/** Every whole row of metrics.jsonl so far ([] before the trainer's first step). */
export const readMetricRows = (workspaceRoot: string, jobId: string): FinetuneMetricLine[] => readMetrics(join(finetuneRunDir(workspaceRoot, jobId), 'metrics.jsonl'));
