/**
 * Cleaning from a run's results grid with the Data view's keys (1–9 relabel, 0 unlabel, D drop, R restore, Z undo, arrows),
 * through the same sample edit, recorded in the audit log as found via this run (runSource).
 */
import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SampleEdit } from '../../../shared/domain';
import { runSource } from '../../../shared/finder-runs';
import { queryKeys } from '../data/query-keys';
import { useKeyLayer } from '../keys/key-layers';
import { isTextEntry } from '../keys/key-events';
import { tailPath } from '../lib/format';
import { useDatasetMeta } from '../state/use-dataset-meta';
import { dispatchShortcut } from '../state/use-shortcuts';
import { useStudio } from '../state/studio-context';
import type { EvalSamples } from './use-eval-samples';

interface GridEditsOptions {
  datasetId: number;
  runId: number;
  samples: EvalSamples;
  focusIndex: number;
  setFocus: (index: number) => void;
  columns: number;
}

export interface GridEdits {
  /** Sample ids waiting for a drop reason (the picker is open), else null. */
  dropIds: number[] | null;
  closeDrop: () => void;
  drop: (ids: number[], reason: string) => void;
  classCount: number;
}

export function useGridEdits({ datasetId, runId, samples, focusIndex, setFocus, columns }: GridEditsOptions): GridEdits {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const meta = useDatasetMeta(datasetId);
  const [dropIds, setDropIds] = useState<number[] | null>(null);
  const focused = focusIndex >= 0 ? samples.getRow(focusIndex) : undefined;
  const usable = focused?.datasetSampleExists ? focused : undefined;

  const apply = useCallback(
    async (edit: SampleEdit, toast: string, advance: boolean) => {
      try {
        const result = await api.samples.edit({ datasetId, edit, source: runSource(runId) });
        client.setQueryData(queryKeys.undo(datasetId), result.undo);
        await samples.refresh();
        if (advance && focusIndex + 1 < samples.total) setFocus(focusIndex + 1);
        showToast(toast);
      } catch (error) {
        reportError(`Could not ${edit.kind} the sample`, error);
      }
    },
    [api, client, datasetId, runId, samples, focusIndex, setFocus, showToast, reportError],
  );

  const history = useCallback(
    async (direction: 'undo' | 'redo') => {
      const can = direction === 'undo' ? meta.undo.canUndo : meta.undo.canRedo;
      if (!can) return showToast(direction === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
      try {
        const result = direction === 'undo' ? await api.history.undo({ datasetId }) : await api.history.redo({ datasetId });
        client.setQueryData(queryKeys.undo(datasetId), result.undo);
        await samples.refresh();
        showToast(`${direction === 'undo' ? 'Undid' : 'Redid'}: ${result.change?.summary ?? 'last change'}`);
      } catch (error) {
        reportError(direction === 'undo' ? 'Undo failed' : 'Redo failed', error);
      }
    },
    [api, client, datasetId, meta.undo, samples, showToast, reportError],
  );

  const move = (delta: number) => setFocus(Math.max(0, Math.min(samples.total - 1, focusIndex + delta)));
  const noop = () => {};
  useKeyLayer((event) => {
    if (focusIndex < 0 || dropIds !== null || isTextEntry(event.target) || event.altKey) return false;
    if (event.key === 'Escape') {
      setFocus(-1);
      return true;
    }
    if (event.key === '?' || (event.key === '/' && event.shiftKey)) return false; // the Data view's help stays global
    return dispatchShortcut(
      {
        enabled: true,
        move: (d) => move((d.rows ?? 0) * columns + (d.cols ?? 0)),
        jump: (where) => move(where === 'first' ? -Infinity : where === 'last' ? Infinity : (where === 'pageUp' ? -3 : 3) * columns),
        assignClass: (n) => {
          const target = meta.classes[n - 1];
          if (!target) return showToast(`No class ${n} in this dataset`);
          if (usable) void apply({ kind: 'relabel', sampleIds: [usable.sampleId], classId: target.id }, `Relabelled ${tailPath(usable.originalPath)} → ${target.name} · Z to undo`, true);
        },
        unlabel: () => {
          if (usable) void apply({ kind: 'relabel', sampleIds: [usable.sampleId], classId: null }, `Unlabelled ${tailPath(usable.originalPath)} · Z to undo`, true);
        },
        openDrop: () => {
          if (usable) setDropIds([usable.sampleId]);
        },
        restore: () => {
          if (usable) void apply({ kind: 'restore', sampleIds: [usable.sampleId] }, `Restored ${tailPath(usable.originalPath)} · Z to undo`, false);
        },
        undo: () => void history('undo'),
        redo: () => void history('redo'),
        toggleSelect: noop,
        selectAll: noop,
        escape: noop,
        help: noop,
        toggleView: noop,
        focusSearch: noop,
      },
      event,
    );
  });

  return {
    dropIds,
    closeDrop: () => setDropIds(null),
    drop: (ids, reason) => {
      setDropIds(null);
      void apply({ kind: 'drop', sampleIds: ids, reason }, `Dropped ${ids.length === 1 ? 'the sample' : `${ids.length} samples`} (${reason}) · Z to undo`, true);
    },
    classCount: meta.classes.length,
  };
}
