/** Domain types shared by main, preload, renderer and the browser host (pure data, no behaviour). */

export type Split = 'train' | 'val' | 'test';
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];
export type SampleStatus = 'active' | 'dropped';

/** Reasons offered by the drop picker; free text is also accepted. */
export const DROP_REASONS = [
  'not a cat or dog',
  'text/banner',
  'duplicate',
  'wrong label, unsure',
  'low quality',
  'multiple subjects',
] as const;

export interface DatasetSummary {
  id: number;
  name: string;
  createdAt: string;
  sampleCount: number;
  activeCount: number;
  droppedCount: number;
  versionCount: number;
}

export interface ClassInfo {
  id: number;
  name: string;
  position: number;
  /** Active samples carrying this label. */
  count: number;
}

export interface Sample {
  id: number;
  datasetId: number;
  imageHash: string;
  originalPath: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  classId: number | null;
  label: string | null;
  split: Split | null;
  status: SampleStatus;
  dropReason: string | null;
  notes: string;
  updatedAt: string;
}

export type SortKey = 'id' | 'label' | 'split' | 'status' | 'path' | 'width' | 'height' | 'bytes' | 'updated';

export interface SampleFilter {
  datasetId: number;
  /** Class ids; the special value -1 selects unlabelled samples. */
  classIds?: number[];
  splits?: (Split | 'none')[];
  status?: SampleStatus | 'all';
  /** Case-insensitive substring of the original path, label, notes or drop reason. */
  text?: string;
  /** Only the suspects of this finder run; with the default sort (id ascending) they come in the run's rank order. */
  finderRunId?: number;
}

export interface SamplePageRequest {
  filter: SampleFilter;
  sort?: { key: SortKey; desc: boolean };
  offset: number;
  limit: number;
}

export interface SamplePage {
  total: number;
  offset: number;
  rows: Sample[];
}

export type SampleEdit =
  | { kind: 'relabel'; sampleIds: number[]; classId: number | null }
  | { kind: 'drop'; sampleIds: number[]; reason: string }
  | { kind: 'restore'; sampleIds: number[] }
  | { kind: 'note'; sampleIds: number[]; notes: string }
  | { kind: 'split'; sampleIds: number[]; split: Split | null };

/** One recorded change (a batch of per-sample field edits), the unit of undo/redo. */
export interface ChangeRecord {
  id: number;
  datasetId: number;
  at: string;
  actor: string;
  action: string;
  summary: string;
  sampleCount: number;
  state: 'applied' | 'undone' | 'discarded';
  /** What surfaced the edit: "finder:<name>#<run>" from a finder's review queue, "run:<id>" from a run's results grid; null for a plain edit. */
  source: string | null;
}

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
  undoSummary: string | null;
  redoSummary: string | null;
}

export interface EditResult {
  change: ChangeRecord | null;
  undo: UndoState;
}

export interface DatasetVersion {
  id: number;
  datasetId: number;
  name: string;
  note: string;
  createdAt: string;
  classes: string[];
  sampleCount: number;
  splitCounts: Record<Split | 'none', number>;
}

export interface VersionDiff {
  from: { id: number; name: string };
  to: { id: number; name: string };
  added: VersionDiffRow[];
  removed: VersionDiffRow[];
  relabeled: VersionDiffRow[];
  resplit: VersionDiffRow[];
}

export interface VersionDiffRow {
  sampleId: number;
  originalPath: string;
  before: string | null;
  after: string | null;
}

export interface SplitRequest {
  datasetId: number;
  seed: number;
  /** train/val/test ratios; must sum to 1 (val may be 0). */
  ratios: { train: number; val: number; test: number };
}

export interface SplitResult {
  counts: Record<string, Record<Split, number>>;
  change: ChangeRecord | null;
}

export type ImportFormat = 'auto' | 'imagefolder' | 'csv' | 'jsonl' | 'hf-imagefolder';

export interface ImportRequest {
  /** Folder (imagefolder / hf-imagefolder) or manifest file (csv / jsonl). */
  source: string;
  format: ImportFormat;
  /** Target dataset name; created when it does not exist. */
  datasetName: string;
}

export type ImportIssueReason =
  | 'corrupt'
  | 'truncated'
  | 'not-an-image'
  | 'empty-file'
  | 'too-many-pixels'
  | 'duplicate'
  | 'missing-file'
  | 'unreadable'
  | 'bad-manifest-row'
  | 'outside-root'
  /** A FIFO, socket, device…: never opened (a FIFO blocks open() forever). */
  | 'not-a-regular-file'
  /** The row's label (or the class folder's name) breaks the label rule (src/shared/label-rule.ts). */
  | 'bad-label';

export interface ImportIssue {
  path: string;
  reason: ImportIssueReason;
  detail: string;
}

export interface ImportReport {
  id: number;
  datasetId: number;
  source: string;
  format: Exclude<ImportFormat, 'auto'>;
  createdAt: string;
  scanned: number;
  imported: number;
  /** Files already in this dataset before the import (re-import of the same folder). */
  alreadyPresent: number;
  classes: string[];
  issues: ImportIssue[];
  /** Known side files at the root of an ImageFolder (README, labels.json, LICENSE…), skipped quietly: not issues. */
  skippedSideFiles: string[];
  cancelled: boolean;
}

export type ExportFormat = 'imagefolder' | 'csv' | 'jsonl-chat';

export interface ExportRequest {
  versionId: number;
  format: ExportFormat;
  /** Destination folder (created; must be empty or absent). */
  destination: string;
  /** Used by jsonl-chat: system prompt and user prompt ({{labels}} expands to "- a\n- b"). */
  systemPrompt?: string;
  userPrompt?: string;
}

export interface ExportResult {
  destination: string;
  files: string[];
  sampleCount: number;
  /** imagefolder: label → folder name (unique; also written to label-folders.json at the export root). */
  labelFolders?: Record<string, string>;
}

/** Download a model from the Hugging Face Hub into the workspace model store, then register it. */
export interface ModelDownloadRequest {
  repoId: string;
  revision: string;
  dtype: string;
  /** Registry name; defaults to the repo id. */
  name?: string;
  /** Hub endpoint (mirrors, tests); defaults to HF_ENDPOINT or https://huggingface.co. */
  endpoint?: string;
}

export interface WorkspaceInfo {
  path: string;
  appVersion: string;
  schemaVersion: number;
  host: 'electron' | 'browser';
}

export interface MissingStoreFile {
  hash: string;
  /** Samples of the dataset that use this image. */
  sampleIds: number[];
  originalPath: string;
  storePath: string;
}

/** Why a store file that exists is not used: a symlink, not a regular file, or bytes that do not hash to its name. */
export type StoreFileDamage = 'symlink' | 'not-a-regular-file' | 'altered';

export interface DamagedStoreFile extends MissingStoreFile {
  problem: StoreFileDamage;
  detail: string;
}

/** Result of checking that every image a dataset references is still in the workspace store, intact. */
export interface StoreReport {
  datasetId: number;
  checked: number;
  missingOriginals: MissingStoreFile[];
  /** Originals that are there but are not served or exported (symlinked, special, altered). */
  damagedOriginals: DamagedStoreFile[];
  /** Hashes whose thumbnail is missing (it can be rebuilt from the original). */
  missingThumbs: string[];
  /** Thumbnails that are symlinks or not regular files (not served). */
  damagedThumbs: { hash: string; problem: StoreFileDamage; detail: string }[];
}
