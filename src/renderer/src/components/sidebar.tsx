/** Left sidebar: the section tabs, workspace datasets with counts, the Import… entry point, and the dataset's versions. */
import type { ReactNode } from 'react';
import type { DatasetSummary, DatasetVersion } from '../../../shared/domain';
import { formatDate, plural } from '../lib/format';

interface SidebarProps {
  /** Data / Models / Evals switch shown under the brand. */
  tabs?: ReactNode;
  datasets: DatasetSummary[];
  loaded: boolean;
  activeId: number | null;
  versions: DatasetVersion[];
  onSelect: (datasetId: number) => void;
  onImport: () => void;
  onSnapshot: () => void;
  onDiff: () => void;
  onExport: (version: DatasetVersion) => void;
  onShowReports: () => void;
}

export function Sidebar(props: SidebarProps) {
  const { datasets, loaded, activeId, versions } = props;
  return (
    <nav className="sidebar">
      <div className="brand">
        <span className="brand-mark">◧</span> Classifier Studio
      </div>
      {props.tabs}
      <section className="sidebar-section">
        <header className="section-head">
          <span>Datasets</span>
          <button type="button" className="small primary" data-testid="import-open" onClick={props.onImport}>
            Import…
          </button>
        </header>
        {loaded && datasets.length === 0 ? (
          <p className="sidebar-empty" data-testid="datasets-empty">
            No datasets yet — <strong>Import</strong> a folder of labelled images (one sub-folder per class) or a
            CSV/JSONL manifest.
          </p>
        ) : null}
        <ul className="dataset-list">
          {datasets.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                className={`dataset-item${d.id === activeId ? ' active' : ''}`}
                data-testid="dataset-item"
                data-dataset-id={d.id}
                onClick={() => props.onSelect(d.id)}
              >
                <span className="dataset-name">{d.name}</span>
                <span className="dataset-counts">
                  {d.activeCount.toLocaleString()} active
                  {d.droppedCount > 0 ? ` · ${d.droppedCount.toLocaleString()} dropped` : ''}
                  {d.versionCount > 0 ? ` · ${plural(d.versionCount, 'version')}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {activeId !== null ? (
          <button type="button" className="link small" data-testid="import-reports-open" onClick={props.onShowReports}>
            Import reports
          </button>
        ) : null}
      </section>
      {activeId !== null ? (
        <section className="sidebar-section versions" data-testid="versions-panel">
          <header className="section-head">
            <span>Versions</span>
            <span className="row-actions">
              <button
                type="button"
                className="small"
                disabled={versions.length < 2}
                title={versions.length < 2 ? 'Needs two versions' : 'Compare two versions'}
                data-testid="diff-open"
                onClick={props.onDiff}
              >
                Diff…
              </button>
              <button type="button" className="small" data-testid="snapshot-open-sidebar" onClick={props.onSnapshot}>
                Snapshot…
              </button>
            </span>
          </header>
          {versions.length === 0 ? (
            <p className="sidebar-empty">
              No versions yet. Split the data, then take a <strong>Snapshot</strong> to freeze train/test for
              evals and export.
            </p>
          ) : null}
          <ul className="version-list">
            {[...versions].reverse().map((v) => (
              <li key={v.id} className="version-item" data-testid="version-item" data-version-id={v.id}>
                <div className="version-head">
                  <span className="version-name">{v.name}</span>
                  <button type="button" className="small" data-testid="export-open" onClick={() => props.onExport(v)}>
                    Export…
                  </button>
                </div>
                <div className="version-meta">
                  {formatDate(v.createdAt)} · {plural(v.sampleCount, 'sample')}
                </div>
                <div className="version-splits">
                  <span className="split split-train">train {v.splitCounts.train}</span>
                  {v.splitCounts.val > 0 ? <span className="split split-val">val {v.splitCounts.val}</span> : null}
                  <span className="split split-test">test {v.splitCounts.test}</span>
                  {v.splitCounts.none > 0 ? <span className="split split-none">none {v.splitCounts.none}</span> : null}
                </div>
                {v.note ? <div className="version-note">{v.note}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </nav>
  );
}
