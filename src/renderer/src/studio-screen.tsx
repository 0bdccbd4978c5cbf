/** The studio layout and its wiring: sidebar (with Data/Models/Evals tabs), toolbar, sample view, detail + classes, jobs bar, overlays, keys. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Sample } from '../../shared/domain';
import { ClassPanel } from './components/class-panel';
import { DetailPanel } from './components/detail-panel';
import { JobsBar } from './components/jobs-bar';
import { SampleGrid } from './components/sample-grid';
import { SampleTable } from './components/sample-table';
import { Sidebar } from './components/sidebar';
import type { ViewMode } from './components/action-bar';
import { DatasetHeader } from './components/dataset-header';
import { FilterBar } from './components/filter-bar';
import { ViewEmpty, WelcomeEmpty } from './components/empty-states';
import { SectionTabs } from './evals/section-tabs';
import { SectionView } from './evals/section-view';
import { useSections } from './evals/use-sections';
import { tailPath } from './lib/format';
import { DEFAULT_FILTER, DEFAULT_SORT, toSampleFilter, type ViewFilter, type ViewSort } from './lib/view-filter';
import { OverlayView, type Overlay } from './overlays';
import { queryKeys } from './data/query-keys';
import { useSelectedDataset } from './state/selected-dataset';
import { useStudio } from './state/studio-context';
import { useCleaning } from './state/use-cleaning';
import { useDatasetMeta } from './state/use-dataset-meta';
import { useJobs } from './state/use-jobs';
import { useNavigation } from './state/use-navigation';
import { useSamplePages } from './state/use-sample-pages';
import { useSelection } from './state/use-selection';
import { useShortcuts } from './state/use-shortcuts';
import { ReviewQueue } from './finders/review-queue';
import { useFinderReview } from './finders/use-finder-review';

export function StudioScreen() {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const datasets = useSelectedDataset();
  const activeId = datasets.datasetId;
  const [filter, setFilter] = useState<ViewFilter>(DEFAULT_FILTER);
  const [sort, setSort] = useState<ViewSort>(DEFAULT_SORT);
  const [view, setView] = useState<ViewMode>('table');
  const [gridColumns, setGridColumns] = useState(4);
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const [pendingImport, setPendingImport] = useState<string | null>(null);
  const jobs = useJobs();
  const searchRef = useRef<HTMLInputElement>(null);

  const meta = useDatasetMeta(activeId);
  const pages = useSamplePages(activeId, filter, sort);
  const selection = useSelection();
  const cleaning = useCleaning(activeId, pages, selection, meta);
  const nav = useNavigation(pages, selection, view === 'grid' ? gridColumns : 1);
  const dataset = datasets.dataset;
  const sections = useSections();
  const selectDataset = datasets.select;
  const review = useFinderReview(activeId, jobs.jobs, showToast);

  // Another dataset (picked, imported, or the selected one deleted): start from its full, unfiltered view.
  const { reset: resetSelection, setFocus, focusIndex } = selection;
  useEffect(() => setFilter(DEFAULT_FILTER), [activeId]);
  // New query → clear selection; focus the first row once rows exist; clamp focus when rows vanish.
  useEffect(() => resetSelection(), [activeId, filter, sort, resetSelection]);
  useEffect(() => {
    if (!pages.ready) return;
    if (pages.total === 0 && focusIndex !== -1) setFocus(-1);
    else if (pages.total > 0 && (focusIndex < 0 || focusIndex >= pages.total)) setFocus(Math.max(0, Math.min(focusIndex, pages.total - 1)));
  }, [pages.ready, pages.total, focusIndex, setFocus]);

  // The import started from the dialog selects its dataset once it is done.
  const imported = jobs.jobs.find((j) => j.id === pendingImport && j.status === 'done');
  const importedDatasetId = imported?.kind === 'import' ? (imported.result?.datasetId ?? null) : null;
  useEffect(() => {
    if (importedDatasetId === null || !datasets.datasets.some((d) => d.id === importedDatasetId)) return;
    setPendingImport(null);
    selectDataset(importedDatasetId);
  }, [importedDatasetId, datasets.datasets, selectDataset]);

  // A run opened from the jobs bar may belong to another dataset: select that dataset first.
  const openRun = useCallback(
    async (runId: number) => {
      try {
        const run = await client.fetchQuery({ queryKey: queryKeys.evalRun(runId), queryFn: () => api.evals.get({ runId }) });
        selectDataset(run.datasetId);
        sections.openRun(run.id, run.datasetId);
      } catch (error) {
        reportError('Opening the run', error);
      }
    },
    [api, client, selectDataset, sections, reportError],
  );

  const close = useCallback(() => setOverlay(null), []);
  const focused: Sample | undefined = focusIndex >= 0 ? pages.getRow(focusIndex) : undefined;

  const saveNotes = useCallback(
    async (sample: Sample, notes: string) => {
      try {
        const result = await api.samples.edit({ datasetId: sample.datasetId, edit: { kind: 'note', sampleIds: [sample.id], notes } });
        client.setQueryData(queryKeys.undo(sample.datasetId), result.undo);
      } catch (error) {
        reportError('Saving the note', error);
      }
    },
    [api, client, reportError],
  );

  const selectAll = useCallback(async () => {
    if (activeId === null) return;
    try {
      const ids = await api.samples.idsInView({ filter: toSampleFilter(activeId, filter) });
      selection.replace(ids);
      showToast(`Selected ${ids.length.toLocaleString()} in view — press a class key, D or R`);
    } catch (error) {
      reportError('Selecting all samples in view', error);
    }
  }, [api, activeId, filter, selection, showToast, reportError]);

  // From an eval report: show that one sample (any status) in the Data view, focused, ready to relabel or drop.
  const openSample = useCallback(
    (sample: { sampleId: number; originalPath: string }) => {
      sections.setSection('data');
      setFilter({ ...DEFAULT_FILTER, status: 'all', text: tailPath(sample.originalPath) });
      showToast(`Showing ${tailPath(sample.originalPath)} — relabel with a class key, D to drop; clear the search to see all`);
    },
    [sections, showToast],
  );

  const openDrop = useCallback(() => {
    const ids = cleaning.targetIds();
    if (ids.length > 0) setOverlay({ kind: 'drop', ids });
  }, [cleaning]);

  useShortcuts({
    enabled: activeId !== null && sections.section === 'data' && review.runId === null,
    move: nav.move,
    jump: nav.jump,
    assignClass: (n) => {
      const target = meta.classes[n - 1];
      if (target) void cleaning.relabel(target);
      else showToast(`No class ${n} — add one in the Classes panel`);
    },
    unlabel: () => void cleaning.relabel(null),
    openDrop,
    restore: () => void cleaning.restore(),
    undo: () => void cleaning.undo(),
    redo: () => void cleaning.redo(),
    toggleSelect: nav.toggleFocused,
    selectAll: () => void selectAll(),
    escape: () => {
      if (selection.selected.size > 0) selection.clear();
      else if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    },
    help: () => setOverlay({ kind: 'help' }),
    toggleView: () => setView((v) => (v === 'table' ? 'grid' : 'table')),
    focusSearch: () => searchRef.current?.focus(),
  });

  const viewProps = {
    pages,
    classes: meta.classes,
    focusIndex,
    selected: selection.selected,
    onActivate: nav.activate,
  };

  return (
    <div className={`app${jobs.jobs.length > 0 ? ' with-jobs' : ''}`}>
      <Sidebar
        tabs={<SectionTabs section={sections.section} onSection={sections.setSection} />}
        datasets={datasets.datasets}
        loaded={datasets.loaded}
        activeId={activeId}
        versions={meta.versions}
        onSelect={selectDataset}
        onImport={() => setOverlay({ kind: 'import' })}
        onSnapshot={() => activeId !== null && setOverlay({ kind: 'snapshot', datasetId: activeId })}
        onDiff={() => setOverlay({ kind: 'diff' })}
        onExport={(version) => setOverlay({ kind: 'export', version })}
        onShowReports={() => activeId !== null && setOverlay({ kind: 'report', datasetId: activeId, reportId: null })}
      />
      <main className="main">
        {sections.section !== 'data' ? (
          <SectionView sections={sections} dataset={dataset} onTrackJob={jobs.track} onOpenSample={openSample} onSelectDataset={selectDataset} />
        ) : dataset ? (
          <>
            <DatasetHeader
              dataset={dataset}
              actions={{ view, onView: setView, undo: meta.undo, onUndo: () => void cleaning.undo(), onRedo: () => void cleaning.redo(), onHelp: () => setOverlay({ kind: 'help' }) }}
              onOverlay={setOverlay}
              onOpenRun={review.open}
            />
            <FilterBar
              ref={searchRef}
              classes={meta.classes}
              filter={filter}
              onFilter={setFilter}
              total={pages.total}
              selectedCount={selection.selected.size}
              onDrop={openDrop}
              onRestore={() => void cleaning.restore()}
              onClearSelection={selection.clear}
            />
            <div className="workspace">
              <section className="view-area">
                {review.runId !== null ? (
                  <ReviewQueue
                    key={review.runId}
                    datasetId={dataset.id}
                    runId={review.runId}
                    classes={meta.classes}
                    onExit={review.exit}
                    onUndo={() => void cleaning.undo()}
                    onRedo={() => void cleaning.redo()}
                    onRerun={(finder, initial) => setOverlay({ kind: 'finder', datasetId: dataset.id, finder, initial })}
                    onFocusSample={review.setFocusSample}
                    onShowInTable={(runId) => {
                      setFilter({ ...DEFAULT_FILTER, finderRunId: runId });
                      review.exit();
                    }}
                  />
                ) : pages.ready && pages.total === 0 ? (
                  <ViewEmpty datasetEmpty={dataset.sampleCount === 0} onClear={() => setFilter(DEFAULT_FILTER)} onImport={() => setOverlay({ kind: 'import' })} />
                ) : view === 'table' ? (
                  <SampleTable {...viewProps} sort={sort} onSort={setSort} />
                ) : (
                  <SampleGrid {...viewProps} onColumnsChange={setGridColumns} />
                )}
              </section>
              <div className="right-column">
                <DetailPanel
                  sample={review.runId !== null ? review.focusSample : focused}
                  classes={meta.classes}
                  selectedCount={selection.selected.size}
                  onSaveNotes={saveNotes}
                  onRelabel={(c) => void (review.runId !== null ? review.relabelFocused(c) : cleaning.relabel(c))}
                />
                <ClassPanel
                  datasetId={dataset.id}
                  classes={meta.classes}
                  onClassesChanged={meta.setClasses}
                  onFilterClass={(id) => setFilter({ ...filter, classIds: [id] })}
                />
              </div>
            </div>
          </>
        ) : (
          <WelcomeEmpty
            loaded={datasets.loaded}
            importing={jobs.jobs.some((j) => j.kind === 'import' && (j.status === 'running' || j.status === 'queued'))}
            onImport={() => setOverlay({ kind: 'import' })}
          />
        )}
        <JobsBar
          jobs={jobs.jobs}
          reports={jobs.reports}
          onCancel={(id) => void jobs.cancel(id)}
          onDismiss={jobs.dismiss}
          onViewReport={(report) => setOverlay({ kind: 'report', datasetId: report.datasetId, reportId: report.id })}
          onOpenRun={(runId) => void openRun(runId)}
        />
      </main>
      <OverlayView
        overlay={overlay}
        h={{
          close,
          classes: meta.classes,
          versions: meta.versions,
          defaultImportName: `dataset-${datasets.datasets.length + 1}`,
          onImportStarted: (jobId) => {
            setPendingImport(jobId);
            jobs.track(jobId, 'import');
            close();
          },
          onExportStarted: (jobId) => {
            jobs.track(jobId, 'export');
            close();
          },
          onSplitDone: () => {
            showToast('Splits assigned · Z to undo');
          },
          onSnapshot: (version) => {
            close();
            showToast(`Saved version ${version.name} (${version.sampleCount.toLocaleString()} samples)`);
          },
          onFinderStarted: (jobId) => {
            jobs.track(jobId, 'find');
            review.follow(jobId);
            close();
          },
          onDrop: (ids, reason) => {
            close();
            void cleaning.drop(ids, reason);
          },
        }}
      />
    </div>
  );
}
