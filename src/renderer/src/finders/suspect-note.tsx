/** A suspect's line on its tile, per finder: the words OCR read (overlays), current → suggested label with self-confidence (label errors), else the reason. */
import type { SuspectView } from '../../../shared/finder-runs';
import type { FinderName } from '../../../shared/finder-types';

/** The drop reason the overlay queue's B key records. */
export const BANNER_REASON = 'banner/overlay';

interface WordDetail {
  text: string;
  confidence: number;
}

/** The recognized words of an overlay suspect (detail.words), in reading order. */
export function recognizedWords(s: SuspectView): string[] {
  const words = Array.isArray(s.detail.words) ? (s.detail.words as WordDetail[]) : [];
  return words.filter((w) => typeof w?.text === 'string').map((w) => w.text);
}

export function SuspectNote({ finder, suspect: s }: { finder: FinderName; suspect: SuspectView }) {
  const state = s.review !== 'open' ? <strong>{s.review} · </strong> : null;
  if (finder === 'overlays' && !('error' in s.detail)) {
    const words = recognizedWords(s);
    const hits = Array.isArray(s.detail.keywordHits) ? (s.detail.keywordHits as string[]) : [];
    return (
      <span className="suspect-reason" title={s.reason} data-testid="suspect-reason">
        {state}
        {words.length > 0 ? (
          <span data-testid="suspect-words">“{words.join(' ')}”</span>
        ) : (
          <span className="muted">no words read · {s.reason}</span>
        )}
        {hits.length > 0 ? <span className="keyword-hit"> · rule: {hits.join(', ')}</span> : null}
      </span>
    );
  }
  if (finder === 'label-errors' && s.suggestedLabel) {
    const selfConfidence = typeof s.detail.selfConfidence === 'number' ? s.detail.selfConfidence : null;
    return (
      <span className="suspect-reason" title={s.reason} data-testid="suspect-reason">
        {state}
        <span className="label-now">{s.className ?? 'unlabelled'}</span> → <strong className="label-suggested" data-testid="suspect-suggested">{s.suggestedLabel}</strong>
        {selfConfidence !== null ? <span className="muted"> · self-conf {selfConfidence >= 0.01 ? selfConfidence.toFixed(2) : selfConfidence > 0 ? selfConfidence.toPrecision(1) : '0'}</span> : null}
      </span>
    );
  }
  return (
    <span className="suspect-reason" title={s.reason} data-testid="suspect-reason">
      {state}
      {s.reason}
      {s.suggestedLabel ? ` → ${s.suggestedLabel}` : ''}
    </span>
  );
}
