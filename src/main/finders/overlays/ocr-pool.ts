/** Offline tesseract.js: a scheduler of worker threads sized to the CPUs, every file it loads resolved inside node_modules (no CDN, no cache writes). */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createScheduler, createWorker, OEM, PSM, type Scheduler } from 'tesseract.js';

const require = createRequire(import.meta.url);

/** Local paths of the engine pieces; langPath is a directory, so tesseract.js reads `eng.traineddata.gz` from disk instead of fetching. */
export function tesseractPaths(): { langPath: string; workerPath: string; corePath: string } {
  return {
    // LSTM-only "best_int" model: the one tesseract.js itself picks for OEM.LSTM_ONLY, 2.9 MB.
    langPath: join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int'),
    workerPath: require.resolve('tesseract.js/src/worker-script/node/index.js'),
    corePath: dirname(require.resolve('tesseract.js-core/package.json')),
  };
}

/** One recognised word, box in the pixels of the image that was passed in. */
export interface OcrWord {
  text: string;
  confidence: number;
  box: { x0: number; y0: number; x1: number; y1: number };
}

export interface OcrPool {
  /** Rejects with the signal's reason as soon as it aborts (a terminated worker never answers its queued jobs). */
  recognize(image: Buffer, signal?: AbortSignal): Promise<OcrWord[]>;
  close(): Promise<void>;
}

/** Default pool size: one worker per CPU, capped (each worker holds ~40 MB of WASM heap). */
export function defaultOcrWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** Starts `size` tesseract workers; recognize() calls are queued across them by tesseract's scheduler. */
export async function createOcrPool(size = defaultOcrWorkers()): Promise<OcrPool> {
  const paths = tesseractPaths();
  const scheduler: Scheduler = createScheduler();
  try {
    const workers = await Promise.all(
      Array.from({ length: size }, () =>
        createWorker('eng', OEM.LSTM_ONLY, { ...paths, cacheMethod: 'none', gzip: true, errorHandler: () => undefined }),
      ),
    );
    for (const worker of workers) {
      // One uniform block: banners and cards are a few lines; AUTO layout analysis drops short white-on-colour strips.
      await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK });
      scheduler.addWorker(worker);
    }
  } catch (err) {
    await scheduler.terminate();
    throw new Error(`Could not start the OCR engine (tesseract.js): ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    async recognize(image, signal) {
      const result = await abortable(scheduler.addJob('recognize', image, {}, { blocks: true, text: false }), signal);
      const words: OcrWord[] = [];
      for (const block of result.data.blocks ?? []) {
        for (const paragraph of block.paragraphs) {
          for (const line of paragraph.lines) {
            for (const word of line.words) {
              words.push({ text: word.text, confidence: word.confidence, box: { ...word.bbox } });
            }
          }
        }
      }
      return words;
    },
    async close() {
      await scheduler.terminate();
    },
  };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
