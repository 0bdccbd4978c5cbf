/** Test helper: a FinderContext over a workspace's active samples, as the finder framework hands one to a finder. */
import type { FinderName, FinderOptions } from '../../../src/shared/finder-types';
import type { FinderContext, FinderSample } from '../../../src/main/finders/finder';
import { imagePath, type Workspace } from '../../../src/main/workspace/workspace';

/** The dataset's active samples with their stored file, original path, current label and size. */
export function activeFinderSamples(ws: Workspace, datasetId: number): FinderSample[] {
  const rows = ws.db
    .prepare(
      `SELECT s.id AS sampleId, s.original_path AS originalPath, c.name AS className, i.width, i.height, i.hash AS sha256, i.ext
       FROM samples s JOIN images i ON i.hash = s.image_hash LEFT JOIN classes c ON c.id = s.class_id
       WHERE s.dataset_id = ? AND s.status = 'active' ORDER BY s.id`,
    )
    .all(datasetId) as (Omit<FinderSample, 'path'> & { ext: string })[];
  return rows.map(({ ext, ...r }) => ({ ...r, path: imagePath(ws, r.sha256, ext) }));
}

/** A context with the given options; progress messages are collected in `messages`. */
export function finderContext<N extends FinderName>(
  ws: Workspace,
  datasetId: number,
  options: FinderOptions[N],
  signal: AbortSignal = new AbortController().signal,
): FinderContext<N> & { messages: string[] } {
  const messages: string[] = [];
  return {
    db: ws.db,
    workspaceRoot: ws.root,
    datasetId,
    samples: activeFinderSamples(ws, datasetId),
    options,
    signal,
    progress: (_value, message) => messages.push(message),
    messages,
  };
}
