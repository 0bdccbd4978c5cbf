/** Top-level navigation state (Data / Models / Evals) and the Evals sub-route, kept above the views so it survives switches. */
import { useCallback, useState } from 'react';

export type Section = 'data' | 'models' | 'evals';
export const SECTIONS: readonly { id: Section; label: string }[] = [
  { id: 'data', label: 'Data' },
  { id: 'models', label: 'Models' },
  { id: 'evals', label: 'Evals' },
];

export type EvalRoute =
  | { kind: 'list' }
  | { kind: 'new' }
  | { kind: 'run'; runId: number }
  | { kind: 'compare'; aId: number; bId: number };

export interface Sections {
  section: Section;
  setSection: (section: Section) => void;
  evalRoute: EvalRoute;
  setEvalRoute: (route: EvalRoute) => void;
  /** Switches to Evals and shows one run's dashboard. */
  openRun: (runId: number) => void;
}

export function useSections(): Sections {
  const [section, setSection] = useState<Section>('data');
  const [evalRoute, setEvalRoute] = useState<EvalRoute>({ kind: 'list' });
  const openRun = useCallback((runId: number) => {
    setSection('evals');
    setEvalRoute({ kind: 'run', runId });
  }, []);
  return { section, setSection, evalRoute, setEvalRoute, openRun };
}
