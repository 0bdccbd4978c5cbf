/**
 * Cleaning actions (relabel, drop, restore, undo, redo) applied to the selection or the focused
 * sample, with the labelling-tool behaviour: refresh rows and counts, advance focus, toast + undo hint.
 */
import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ClassInfo, EditResult, SampleEdit } from '../../../shared/domain';
import { queryKeys } from '../data/query-keys';
import { plural } from '../lib/format';
import type { DatasetMeta } from './use-dataset-meta';
import type { SamplePages } from './use-sample-pages';
import type { Selection } from './use-selection';
import { useStudio } from './studio-context';

export interface Cleaning {
  targetIds: () => number[];
  relabel: (classInfo: ClassInfo | null) => Promise<void>;
  drop: (ids: number[], reason: string) => Promise<void>;
  restore: () => Promise<void>;
  undo: () => Promise<void>;
  redo: () => Promise<void>;
}

export function useCleaning(
  datasetId: number | null,
  pages: SamplePages,
  selection: Selection,
  meta: DatasetMeta,
): Cleaning {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const { focusIndex, selected, setFocus, clear } = selection;

  const targetIds = useCallback((): number[] => {
    if (selected.size > 0) return [...selected];
    const row = focusIndex >= 0 ? pages.getRow(focusIndex) : undefined;
    return row ? [row.id] : [];
  }, [selected, focusIndex, pages]);

  /** Re-reads rows and counts, then puts focus on `focusId` (or keeps the index when it vanished). */
  const settle = useCallback(
    async (result: EditResult, focusId: number | null) => {
      if (datasetId !== null) client.setQueryData(queryKeys.undo(datasetId), result.undo);
      await pages.refresh();
      if (focusId === null) return;
      const index = pages.indexOfId(focusId);
      if (index >= 0) setFocus(index);
    },
    [client, datasetId, pages, setFocus],
  );

  const apply = useCallback(
    async (edit: SampleEdit, toast: string, clearAfter: boolean) => {
      if (datasetId === null) return;
      const bulk = selected.size > 0;
      // Single-sample edits advance focus to the next row, like a labelling tool.
      const next = bulk ? pages.getRow(focusIndex) : pages.getRow(focusIndex + 1);
      const current = pages.getRow(focusIndex);
      try {
        const result = await api.samples.edit({ datasetId, edit });
        if (clearAfter) clear();
        await settle(result, (next ?? current)?.id ?? null);
        showToast(toast);
      } catch (error) {
        reportError(`Could not ${edit.kind} ${plural(edit.sampleIds.length, 'sample')}`, error);
      }
    },
    [api, datasetId, selected, focusIndex, pages, clear, settle, showToast, reportError],
  );

  const relabel = useCallback(
    async (classInfo: ClassInfo | null) => {
      const ids = targetIds();
      if (ids.length === 0) return;
      const name = classInfo ? classInfo.name : 'unlabelled';
      const edit: SampleEdit = { kind: 'relabel', sampleIds: ids, classId: classInfo?.id ?? null };
      await apply(edit, `Relabelled ${ids.length} → ${name} · Z to undo`, false);
    },
    [apply, targetIds],
  );

  const drop = useCallback(
    async (ids: number[], reason: string) => {
      if (ids.length === 0) return;
      await apply({ kind: 'drop', sampleIds: ids, reason }, `Dropped ${ids.length} (${reason}) · Z to undo`, true);
    },
    [apply],
  );

  const restore = useCallback(async () => {
    const ids = targetIds();
    if (ids.length === 0) return;
    await apply({ kind: 'restore', sampleIds: ids }, `Restored ${ids.length} · Z to undo`, true);
  }, [apply, targetIds]);

  const history = useCallback(
    async (direction: 'undo' | 'redo') => {
      if (datasetId === null) return;
      const summary = direction === 'undo' ? meta.undo.undoSummary : meta.undo.redoSummary;
      const can = direction === 'undo' ? meta.undo.canUndo : meta.undo.canRedo;
      if (!can) {
        showToast(direction === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
        return;
      }
      try {
        const result =
          direction === 'undo' ? await api.history.undo({ datasetId }) : await api.history.redo({ datasetId });
        const current = pages.getRow(focusIndex);
        await settle(result, current?.id ?? null);
        const text = result.change?.summary ?? summary ?? 'last change';
        showToast(direction === 'undo' ? `Undid: ${text} · Shift+Z to redo` : `Redid: ${text} · Z to undo`);
      } catch (error) {
        reportError(direction === 'undo' ? 'Undo failed' : 'Redo failed', error);
      }
    },
    [api, datasetId, meta.undo, pages, focusIndex, settle, showToast, reportError],
  );

  const undo = useCallback(() => history('undo'), [history]);
  const redo = useCallback(() => history('redo'), [history]);

  return { targetIds, relabel, drop, restore, undo, redo };
}
