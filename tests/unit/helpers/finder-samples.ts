/** Builds finder inputs straight from image files (no workspace import), for finder unit tests and benches on the shared photos. */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FinderContext, FinderSample } from '../../../src/main/finders/finder';
import { finderOptionSchemas, type FinderName } from '../../../src/shared/finder-types';

/** One FinderSample per file, ids 1…n in order; className is the parent folder's name. */
export function samplesFromFiles(files: string[]): FinderSample[] {
  return files.map((path, i) => ({
    sampleId: i + 1,
    path,
    originalPath: path,
    className: basename(join(path, '..')),
    width: null,
    height: null,
    sha256: '',
  }));
}

/** Every image file of a folder, sorted, as absolute paths. */
export function imagesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => join(dir, f));
}

/** A finder context without a database (the overlays finder reads only files); options go through the real zod schema. */
export function finderContext<N extends FinderName>(
  name: N,
  samples: FinderSample[],
  options: unknown,
  extra: { signal?: AbortSignal; progress?: (value: number, message: string) => void } = {},
): FinderContext<N> {
  return {
    db: null as never,
    workspaceRoot: '',
    datasetId: 1,
    samples,
    options: finderOptionSchemas[name].parse(options) as FinderContext<N>['options'],
    signal: extra.signal ?? new AbortController().signal,
    progress: extra.progress ?? (() => undefined),
  };
}
