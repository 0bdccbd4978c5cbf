/** "Samples I pick" for the quick try: a compact thumbnail grid of the chosen split; a click toggles a sample (up to the try's maximum). */
import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { EvalSplit } from '../../../shared/eval-types';
import { PROMPT_TRY_MAX_SAMPLES, type PromptTryPickable } from '../../../shared/prompt-try';
import { mediaUrl } from '../api';
import { ImageTile } from '../components/image-grid/image-tile';
import { VirtualImageGrid } from '../components/image-grid/virtual-image-grid';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

const NONE: PromptTryPickable[] = [];

interface QuickTryPickerProps {
  versionId: number;
  split: EvalSplit;
  /** Picked sample ids, in the order they were picked. */
  picked: number[];
  onChange: (picked: number[]) => void;
}

/** Toggles one id: removes it if picked, appends it if there is room. */
export function togglePick(picked: readonly number[], sampleId: number, max = PROMPT_TRY_MAX_SAMPLES): number[] {
  if (picked.includes(sampleId)) return picked.filter((id) => id !== sampleId);
  return picked.length >= max ? [...picked] : [...picked, sampleId];
}

export function QuickTryPicker({ versionId, split, picked, onChange }: QuickTryPickerProps) {
  const { api } = useStudio();
  const q = useQuery({
    queryKey: queryKeys.versionSplitSamples(versionId, split),
    queryFn: () => api.prompts.trySamples({ versionId, split }),
    staleTime: Infinity,
    meta: { errorContext: 'Loading the samples to pick' },
  });
  const samples = q.data?.samples ?? NONE;
  const getItem = useCallback((i: number) => samples[i], [samples]);
  const full = picked.length >= PROMPT_TRY_MAX_SAMPLES;
  const renderTile = (s: PromptTryPickable | undefined) => {
    if (!s) return null;
    const on = picked.includes(s.sampleId);
    return (
      <ImageTile
        src={mediaUrl('thumb', s.sampleId, versionId)}
        alt={s.originalPath}
        verdict="neutral"
        focused={on}
        title={`${s.originalPath} · ${s.label}${!on && full ? ` · at most ${PROMPT_TRY_MAX_SAMPLES} per try` : ''}`}
        testId="quick-try-pick"
        data={{ 'data-sample-id': s.sampleId, 'data-picked': on ? 1 : 0 }}
        onClick={() => onChange(togglePick(picked, s.sampleId))}
      >
        <div className="line">
          <span>{s.label}</span>
        </div>
      </ImageTile>
    );
  };
  return (
    <div className="quick-try-picker" data-testid="quick-try-picker">
      <div className="muted small" data-testid="quick-try-picked">
        {picked.length}/{PROMPT_TRY_MAX_SAMPLES} picked of the {split} split ({q.data ? `${q.data.total} samples${q.data.total > samples.length ? `, first ${samples.length} shown` : ''}` : 'loading…'})
        {picked.length > 0 ? (
          <button type="button" className="link small" data-testid="quick-try-pick-clear" onClick={() => onChange([])}>
            clear
          </button>
        ) : null}
      </div>
      <VirtualImageGrid
        count={samples.length}
        getItem={getItem}
        tileWidth={84}
        tileHeight={96}
        gap={6}
        maxHeight={220}
        renderTile={renderTile}
        testId="quick-try-pick-grid"
        empty={<span className="muted small">{q.isLoading ? 'Loading…' : `The ${split} split has no samples.`}</span>}
      />
    </div>
  );
}
