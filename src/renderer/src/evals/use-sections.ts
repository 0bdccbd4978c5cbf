/** Top-level navigation state (Data / Models / Evals / Fine-tunes), the Evals sub-route and the open fine-tune, kept above the views so it survives switches. */
import { useCallback, useState } from 'react';

export type Section = 'data' | 'models' | 'evals' | 'finetunes';
export const SECTIONS: readonly { id: Section; label: string }[] = [
  { id: 'data', label: 'Data' },
  { id: 'models', label: 'Models' },
  { id: 'evals', label: 'Evals' },
  { id: 'finetunes', label: 'Fine-tunes' },
];

/** Routes below the list name their dataset, so a route never shows while another dataset is selected. */
export type EvalRoute =
  | { kind: 'list' }
  | { kind: 'new'; datasetId: number; fromRunId?: number }
  | { kind: 'run'; runId: number; datasetId: number }
  | { kind: 'compare'; aId: number; bId: number; datasetId: number }
  | { kind: 'robustness'; datasetId: number }
  /** Prompt × model matrices: batchId null = the New matrix form and earlier matrices. */
  | { kind: 'matrix'; datasetId: number; batchId: number | null }
  | { kind: 'prompts'; datasetId: number };

export interface Sections {
  section: Section;
  setSection: (section: Section) => void;
  evalRoute: EvalRoute;
  setEvalRoute: (route: EvalRoute) => void;
  /** Switches to Evals and shows one run's dashboard (the caller selects the run's dataset). */
  openRun: (runId: number, datasetId: number) => void;
  /** Switches to Evals and compares run A with run B (the caller selects their dataset). */
  openCompare: (aId: number, bId: number, datasetId: number) => void;
  /** The fine-tune whose monitor is open (null: the list). */
  finetuneJobId: string | null;
  setFinetuneJobId: (jobId: string | null) => void;
}

export function useSections(): Sections {
  const [section, setSection] = useState<Section>('data');
  const [evalRoute, setEvalRoute] = useState<EvalRoute>({ kind: 'list' });
  const [finetuneJobId, setFinetuneJobId] = useState<string | null>(null);
  const openRun = useCallback((runId: number, datasetId: number) => {
    setSection('evals');
    setEvalRoute({ kind: 'run', runId, datasetId });
  }, []);
  const openCompare = useCallback((aId: number, bId: number, datasetId: number) => {
    setSection('evals');
    setEvalRoute({ kind: 'compare', aId, bId, datasetId });
  }, []);
  return { section, setSection, evalRoute, setEvalRoute, openRun, openCompare, finetuneJobId, setFinetuneJobId };
}
