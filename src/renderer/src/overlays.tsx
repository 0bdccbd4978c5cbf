/** The one open dialog/overlay, as a tagged union rendered with an exhaustive switch. */
import type { ClassInfo, DatasetVersion, SplitResult } from '../../shared/domain';
import { assertNever } from '../../shared/assert-never';
import { DiffDialog } from './dialogs/diff-dialog';
import { DropReasonPicker } from './dialogs/drop-reason-picker';
import { ExportDialog } from './dialogs/export-dialog';
import { HelpOverlay } from './dialogs/help-overlay';
import { ImportDialog } from './dialogs/import-dialog';
import { ImportReportDialog } from './dialogs/import-report-dialog';
import { SnapshotDialog } from './dialogs/snapshot-dialog';
import { SplitDialog } from './dialogs/split-dialog';
import { HistoryDialog } from './dialogs/history-dialog';
import { FinderOptionsDialog } from './finders/finder-options-dialog';
import type { FinderName } from '../../shared/finder-types';

export type Overlay =
  | { kind: 'import' }
  | { kind: 'report'; datasetId: number; reportId: number | null }
  | { kind: 'split'; datasetId: number }
  | { kind: 'snapshot'; datasetId: number }
  | { kind: 'diff' }
  | { kind: 'export'; version: DatasetVersion }
  | { kind: 'drop'; ids: number[] }
  | { kind: 'help' }
  | { kind: 'history'; datasetId: number }
  | { kind: 'finder'; datasetId: number; finder: FinderName; initial?: Record<string, unknown> };

export interface OverlayHandlers {
  close: () => void;
  classes: ClassInfo[];
  versions: DatasetVersion[];
  defaultImportName: string;
  onImportStarted: (jobId: string, datasetName: string) => void;
  onExportStarted: (jobId: string) => void;
  onSplitDone: (result: SplitResult) => void;
  onSnapshot: (version: DatasetVersion) => void;
  onDrop: (ids: number[], reason: string) => void;
  onFinderStarted: (jobId: string) => void;
}

export function OverlayView({ overlay, h }: { overlay: Overlay | null; h: OverlayHandlers }) {
  if (!overlay) return null;
  switch (overlay.kind) {
    case 'import':
      return <ImportDialog defaultName={h.defaultImportName} onClose={h.close} onStarted={h.onImportStarted} />;
    case 'report':
      return <ImportReportDialog datasetId={overlay.datasetId} reportId={overlay.reportId} onClose={h.close} />;
    case 'split':
      return <SplitDialog datasetId={overlay.datasetId} onClose={h.close} onDone={h.onSplitDone} />;
    case 'snapshot':
      return <SnapshotDialog datasetId={overlay.datasetId} versions={h.versions} onClose={h.close} onCreated={h.onSnapshot} />;
    case 'diff':
      return <DiffDialog versions={h.versions} onClose={h.close} />;
    case 'export':
      return <ExportDialog version={overlay.version} onClose={h.close} onStarted={h.onExportStarted} />;
    case 'drop':
      return <DropReasonPicker count={overlay.ids.length} onClose={h.close} onConfirm={(reason) => h.onDrop(overlay.ids, reason)} />;
    case 'help':
      return <HelpOverlay classes={h.classes} onClose={h.close} />;
    case 'history':
      return <HistoryDialog datasetId={overlay.datasetId} onClose={h.close} />;
    case 'finder':
      return <FinderOptionsDialog datasetId={overlay.datasetId} finder={overlay.finder} initial={overlay.initial} onClose={h.close} onStarted={h.onFinderStarted} />;
    default:
      return assertNever(overlay, 'overlay');
  }
}
