/** Renders the Models, Evals or Fine-tunes section in the main pane (the Data section is the studio's own dataset view). */
import type { DatasetSummary } from '../../../shared/domain';
import type { JobInfo } from '../../../shared/jobs';
import '../styles/models.css';
import '../styles/evals.css';
import { ModelsScreen } from '../models/models-screen';
import { FinetunesScreen } from '../finetunes/finetunes-screen';
import { EvalsScreen } from './evals-screen';
import type { Sections } from './use-sections';

interface SectionViewProps {
  sections: Sections;
  dataset: DatasetSummary | null;
  onTrackJob: (jobId: string, kind: JobInfo['kind']) => void;
  onOpenSample: (sample: { sampleId: number; originalPath: string }) => void;
  /** Selects a dataset in the sidebar (a comparison opened from a fine-tune shows its runs' dataset). */
  onSelectDataset: (datasetId: number) => void;
}

export function SectionView({ sections, dataset, onTrackJob, onOpenSample, onSelectDataset }: SectionViewProps) {
  if (sections.section === 'finetunes') {
    const openCompare = (aId: number, bId: number, datasetId: number) => {
      onSelectDataset(datasetId);
      sections.openCompare(aId, bId, datasetId);
    };
    return <FinetunesScreen jobId={sections.finetuneJobId} onOpen={sections.setFinetuneJobId} onGoModels={() => sections.setSection('models')} onOpenCompare={openCompare} />;
  }
  if (sections.section === 'models') return <ModelsScreen onDownloadStarted={(jobId) => onTrackJob(jobId, 'model-download')} onMiniVlmStarted={(jobId) => onTrackJob(jobId, 'mini-vlm-create')} />;
  return (
    <EvalsScreen
      datasetId={dataset?.id ?? null}
      datasetName={dataset?.name ?? null}
      route={sections.evalRoute}
      onRoute={sections.setEvalRoute}
      onJobStarted={(jobId) => onTrackJob(jobId, 'eval')}
      onOpenSample={onOpenSample}
      onGoData={() => sections.setSection('data')}
      onGoModels={() => sections.setSection('models')}
    />
  );
}
