/**
 * Bottom bar: one progress line with Cancel per running job; finished jobs become a dismissible result line. Only the
 * newest results stay open (a 4×4 matrix finishes 16 evals at once and would cover the screen); the rest fold into one line.
 */
import { useState } from 'react';
import type { ImportReport } from '../../../shared/domain';
import type { JobInfo } from '../../../shared/jobs';
import { assertNever } from '../../../shared/assert-never';
import { plural } from '../lib/format';

interface JobsBarProps {
  jobs: JobInfo[];
  reports: ReadonlyMap<string, ImportReport>;
  onCancel: (jobId: string) => void;
  onDismiss: (jobId: string) => void;
  onViewReport: (report: ImportReport) => void;
  onOpenRun: (runId: number) => void;
}

const KIND_LABEL: Record<JobInfo['kind'], string> = { import: 'Import', export: 'Export', eval: 'Eval', 'model-download': 'Download', 'runtime-install': 'GPU runtime', finetune: 'Fine-tune', 'mini-vlm-create': 'Mini VLM', 'robustness-derive': 'Derive', find: 'Finder', 'prompt-try': 'Quick try' };

/** Finished results shown before the rest fold into "N earlier results". */
const OPEN_RESULTS = 2;

const isActive = (job: JobInfo): boolean => job.status === 'queued' || job.status === 'running';

export function JobsBar({ jobs, reports, onCancel, onDismiss, onViewReport, onOpenRun }: JobsBarProps) {
  const [expanded, setExpanded] = useState(false);
  if (jobs.length === 0) return null;
  const finished = jobs.filter((j) => !isActive(j));
  const hidden = expanded ? [] : finished.slice(0, Math.max(0, finished.length - OPEN_RESULTS));
  const shown = jobs.filter((j) => !hidden.includes(j));
  return (
    <footer className="jobs-bar" data-testid="jobs-bar">
      {hidden.length > 0 || (expanded && finished.length > OPEN_RESULTS) ? (
        <div className="job job-folded" data-testid="jobs-folded">
          <span className="job-kind">Results</span>
          <span className="job-message">
            {expanded ? `${plural(finished.length, 'finished job')}` : `${plural(hidden.length, 'earlier result')} folded`} —{' '}
            <button type="button" className="link" data-testid="jobs-toggle" onClick={() => setExpanded(!expanded)}>
              {expanded ? 'Show fewer' : 'Show all'}
            </button>
            {' · '}
            <button type="button" className="link" data-testid="jobs-clear" onClick={() => finished.forEach((j) => onDismiss(j.id))}>
              Clear all results
            </button>
          </span>
        </div>
      ) : null}
      {shown.map((job) => (
        <div key={job.id} className={`job job-${job.status}`} data-testid="job" data-job-id={job.id} data-status={job.status}>
          <span className="job-kind">{KIND_LABEL[job.kind]}</span>
          <JobBody job={job} report={reports.get(job.id)} onViewReport={onViewReport} onOpenRun={onOpenRun} />
          {isActive(job) ? (
            <button type="button" className="small" data-testid="job-cancel" onClick={() => onCancel(job.id)}>
              Cancel
            </button>
          ) : (
            <button type="button" className="icon-button" aria-label="Dismiss" data-testid="job-dismiss" onClick={() => onDismiss(job.id)}>
              ×
            </button>
          )}
        </div>
      ))}
    </footer>
  );
}

interface JobBodyProps {
  job: JobInfo;
  report?: ImportReport;
  onViewReport: (r: ImportReport) => void;
  onOpenRun: (runId: number) => void;
}

function JobBody({ job, report, onViewReport, onOpenRun }: JobBodyProps) {
  switch (job.status) {
    case 'queued':
    case 'running':
      return (
        <>
          <progress className="job-progress" data-testid="job-progress" max={1} value={job.value} />
          <span className="job-percent">{Math.round(job.value * 100)}%</span>
          <span className="job-message" title={job.message}>
            {job.message || (job.status === 'queued' ? 'Queued…' : 'Working…')}
          </span>
        </>
      );
    case 'done':
      return <span className="job-message job-result" data-testid="job-result">{doneText(job, report, onViewReport, onOpenRun)}</span>;
    case 'failed':
      return (
        <span className="job-message job-error" data-testid="job-result">
          Failed: {job.error ?? job.message}
        </span>
      );
    case 'cancelled':
      return (
        <span className="job-message" data-testid="job-result">
          Cancelled{job.message ? ` — ${job.message}` : ''}
        </span>
      );
    case 'interrupted':
      return (
        <span className="job-message" data-testid="job-result">
          Interrupted — {job.error ?? 'the app closed during the job'}
        </span>
      );
    default:
      return assertNever(job.status, 'job status');
  }
}

function doneText(job: JobInfo, report: ImportReport | undefined, onViewReport: (r: ImportReport) => void, onOpenRun: (runId: number) => void) {
  switch (job.kind) {
    case 'import':
      if (!report) return job.message || 'Import finished — loading report…';
      return (
        <>
          Imported {plural(report.imported, 'image')}
          {report.alreadyPresent > 0 ? ` (${report.alreadyPresent} already present)` : ''}, {plural(report.issues.length, 'issue')} —{' '}
          <button type="button" className="link" data-testid="job-view-report" onClick={() => onViewReport(report)}>
            View report
          </button>
        </>
      );
    case 'export': {
      const result = job.result;
      if (!result) return job.message || 'Export finished';
      return (
        <>
          Exported {plural(result.sampleCount, 'sample')} to <code className="job-path">{result.destination}</code>
        </>
      );
    }
    case 'eval': {
      const runId = job.result?.runId ?? null;
      return (
        <>
          Eval finished
          {runId !== null ? (
            <>
              {' '}
              —{' '}
              <button type="button" className="link" data-testid="job-open-run" onClick={() => onOpenRun(runId)}>
                Open run
              </button>
            </>
          ) : null}
        </>
      );
    }
    case 'model-download': {
      const name = job.result?.name;
      return name ? `Downloaded and registered ${name}` : job.message || 'Download finished';
    }
    case 'runtime-install':
      if (!job.result) return job.message || 'GPU runtime installed';
      return job.result.status.available ? 'CUDA runtime installed — CUDA is available' : `CUDA runtime installed; CUDA still cannot run: ${job.result.status.reason ?? ''}`;
    case 'mini-vlm-create':
      return job.result ? `Created and registered ${job.result.name}` : job.message || 'Mini VLM created';
    case 'finetune':
      return job.result ? `Fine-tuned and registered ${job.result.modelName} (${job.result.steps} steps)` : job.message || 'Fine-tune finished';
    case 'robustness-derive':
      return job.result ? `Derived ${job.result.derivedVersionIds.length} robustness splits` : job.message || 'Robustness splits derived';
    case 'find':
      if (!job.result) return job.message || 'Finder finished';
      return job.result.cancelled ? 'Finder cancelled' : `${job.result.finder}: ${plural(job.result.suspectCount, 'suspect')} to review`;
    case 'prompt-try':
      if (!job.result) return job.message || 'Quick try finished';
      return job.result.cancelled ? 'Quick try cancelled' : `Quick try: ${plural(job.result.outputs.length, 'answer')}`;
    default:
      return assertNever(job, 'job kind');
  }
}
