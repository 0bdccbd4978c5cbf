/** Reads an eval run's per-sample class probabilities and lines them up with the dataset's current samples and labels. */
import type { EvalRun } from '../../../shared/eval-types';
import type { Db } from '../../db/open-database';
import { stmt } from '../../db/statement-cache';
import { StudioError } from '../../errors';
import { evalSampleRows, getEvalRun } from '../../evals/eval-store';
import type { FinderSample } from '../finder';

/** One current sample with the run's probabilities for it (columns in `labels` order). */
export interface ScoredSample {
  sample: FinderSample;
  /** Index of the sample's current label in `labels`. */
  label: number;
  probs: number[];
}

export interface RunProbabilities {
  run: EvalRun;
  labels: string[];
  scored: ScoredSample[];
  /** Why rows of the run were not used (dropped since, relabelled to a class the run lacks, no probabilities). */
  skipped: { notInDataset: number; unlabelled: number; unknownLabel: number; noProbabilities: number };
}

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

function datasetName(db: Db, id: number): string {
  return (stmt(db, 'SELECT name FROM datasets WHERE id = ?').pluck(true).get(id) as string | undefined) ?? `#${id}`;
}

/**
 * The run's probabilities for the samples the finder was given, labelled as they are NOW (a relabel after the
 * snapshot counts). Throws a plain-words error for a run of another dataset, a mode without probabilities
 * (raw, constrained) or a run with no usable rows.
 */
export function loadRunProbabilities(db: Db, runId: number, datasetId: number, samples: readonly FinderSample[]): RunProbabilities {
  const run = getEvalRun(db, runId);
  if (run.datasetId !== datasetId) {
    throw invalid(
      `Eval run "${run.name}" (#${run.id}) evaluated dataset "${datasetName(db, run.datasetId)}", not "${datasetName(db, datasetId)}"; ` +
        'pick a run on this dataset',
    );
  }
  if (run.mode === 'raw' || run.mode === 'constrained') {
    throw invalid(
      `Eval run "${run.name}" (#${run.id}) used ${run.mode} decoding, which stores an answer but no class probabilities; ` +
        'finding label errors needs a scored run (a probability per label) or a classifier run with a class mapping',
    );
  }
  const labels = run.labels;
  const byId = new Map(samples.map((s) => [s.sampleId, s]));
  const skipped = { notInDataset: 0, unlabelled: 0, unknownLabel: 0, noProbabilities: 0 };
  const scored: ScoredSample[] = [];
  for (const row of evalSampleRows(db, run.id)) {
    const sample = byId.get(row.sampleId);
    if (sample === undefined) skipped.notInDataset += 1;
    else if (row.probabilities === null || row.probabilities.length !== labels.length) skipped.noProbabilities += 1;
    else if (sample.className === null) skipped.unlabelled += 1;
    else if (!labels.includes(sample.className)) skipped.unknownLabel += 1;
    else scored.push({ sample, label: labels.indexOf(sample.className), probs: row.probabilities });
  }
  if (scored.length === 0) {
    const why =
      run.doneCount === 0
        ? `it has not evaluated any sample yet (status ${run.status})`
        : `none of its ${run.doneCount} finished rows has probabilities for a current, labelled sample of the dataset`;
    throw invalid(`Eval run "${run.name}" (#${run.id}) cannot rank label errors: ${why}`);
  }
  const present = new Set(scored.map((s) => s.label));
  if (present.size < 2) {
    throw invalid(
      `Eval run "${run.name}" (#${run.id}) covers only class "${labels[scored[0].label]}" among the current samples; ` +
        'confident learning compares classes, so it needs rows of at least two',
    );
  }
  return { run, labels, scored, skipped };
}
