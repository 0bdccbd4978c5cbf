/** Finder runs and their review queues as the UI, CLI and IPC see them; review states and actions are listed once here. */
import { z } from 'zod';
import type { FinderName } from './finder-types';

export const REVIEW_STATES = ['open', 'kept', 'dropped', 'relabeled'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const FINDER_RUN_STATUSES = ['running', 'done', 'failed', 'cancelled'] as const;
export type FinderRunStatus = (typeof FINDER_RUN_STATUSES)[number];

export interface FinderRun {
  id: number;
  datasetId: number;
  finder: FinderName;
  options: Record<string, unknown>;
  jobId: string | null;
  status: FinderRunStatus;
  sampleCount: number;
  suspectCount: number;
  /** How many suspects are still open (not yet kept, dropped or relabeled). */
  openCount: number;
  stats: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** One suspect with what a tile needs: the sample's current label and status beside the finder's reason. */
export interface SuspectView {
  runId: number;
  sampleId: number;
  rank: number;
  score: number;
  reason: string;
  group: number | null;
  suggestedLabel: string | null;
  detail: Record<string, unknown>;
  review: ReviewState;
  imageHash: string;
  originalPath: string;
  className: string | null;
  classId: number | null;
  status: 'active' | 'dropped';
  dropReason: string | null;
  split: 'train' | 'val' | 'test' | null;
  notes: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  updatedAt: string;
}

/** The audit-log source of an edit made from a finder's review queue ("finder:duplicates#12"). */
export function finderSource(finder: FinderName, runId: number): string {
  return `finder:${finder}#${runId}`;
}

/** The audit-log source of an edit made from an eval run's results grid ("run:12"); same field as finderSource. */
export function runSource(runId: number): string {
  return `run:${runId}`;
}

/** What surfaced an edit, parsed back from the audit log's one `source` field (null = a plain edit or unknown text). */
export type AuditSource = { kind: 'finder'; finder: string; runId: number } | { kind: 'run'; runId: number };

/** Parses a `finderSource` / `runSource` string; anything else is null. */
export function parseAuditSource(source: string | null): AuditSource | null {
  if (!source) return null;
  const finder = /^finder:([\w-]+)#(\d+)$/.exec(source);
  if (finder) return { kind: 'finder', finder: finder[1], runId: Number(finder[2]) };
  const run = /^run:(\d+)$/.exec(source);
  if (run) return { kind: 'run', runId: Number(run[1]) };
  return null;
}

/** The sources a renderer may attach to a plain sample edit (finder queues go through review actions instead). */
export const editSourceSchema = z.string().regex(/^run:[1-9]\d{0,15}$/, 'an edit source is "run:<eval run id>"');

const id = z.number().int().positive();
const sampleIds = z.array(id).min(1).max(10_000);

/** A review action: the same sample edit as anywhere else, plus "keep" (a reviewed non-edit) and "keep one" of a duplicate group. */
export const reviewActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keep'), sampleIds }),
  z.object({ kind: z.literal('drop'), sampleIds, reason: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal('relabel'), sampleIds, classId: id }),
  /** Keeps keepSampleId and drops every other open member of its group as a duplicate of it. */
  z.object({ kind: z.literal('keep-one'), keepSampleId: id }),
]);
export type ReviewAction = z.infer<typeof reviewActionSchema>;
