/** The headline numbers of a run as cards (optionally with the delta against another run, for the compare view). */
import type { EvalMetrics } from '../../../shared/metrics-types';
import { deltaPp, fixed, ms, pct } from './eval-format';

interface Card {
  id: string;
  label: string;
  value: string;
  sub?: string;
  /** Raw number for deltas; `higherIsBetter` decides the colour of a delta. */
  raw: number | null;
  higherIsBetter: boolean;
  rate: boolean;
}

export function metricCards(m: EvalMetrics): Card[] {
  const cards: Card[] = [
    { id: 'accuracy', label: 'Accuracy', value: pct(m.accuracy), sub: `${m.correct} of ${m.n} correct`, raw: m.accuracy, higherIsBetter: true, rate: true },
    { id: 'balanced-accuracy', label: 'Balanced accuracy', value: pct(m.balancedAccuracy), sub: 'mean recall over classes', raw: m.balancedAccuracy, higherIsBetter: true, rate: true },
    { id: 'macro-f1', label: 'Macro F1', value: pct(m.macro.f1), sub: `weighted ${pct(m.weighted.f1)}`, raw: m.macro.f1, higherIsBetter: true, rate: true },
    { id: 'off-label', label: 'Off-label rate', value: pct(m.offLabelRate), sub: `${m.offLabelCount} answers outside the labels`, raw: m.offLabelRate, higherIsBetter: false, rate: true },
  ];
  if (m.abstain) {
    const a = m.abstain;
    const onAnswered = a.accuracyOnAnswered === null ? '—' : pct(a.accuracyOnAnswered);
    cards.push(
      { id: 'coverage', label: 'Coverage', value: pct(a.coverage), sub: `${a.answered} answered, ${a.abstained} “${a.label}”`, raw: a.coverage, higherIsBetter: true, rate: true },
      { id: 'accuracy-answered', label: 'Accuracy on answered', value: onAnswered, sub: 'abstentions left out', raw: a.accuracyOnAnswered, higherIsBetter: true, rate: true },
    );
  }
  if (m.calibration) {
    const c = m.calibration;
    cards.push(
      { id: 'ece', label: 'ECE', value: fixed(c.ece), sub: 'calibration error (lower is better)', raw: c.ece, higherIsBetter: false, rate: false },
      { id: 'brier', label: 'Brier', value: fixed(c.brier), sub: 'range 0–2', raw: c.brier, higherIsBetter: false, rate: false },
      { id: 'log-loss', label: 'Log loss', value: fixed(c.logLoss), sub: 'of the true label', raw: c.logLoss, higherIsBetter: false, rate: false },
    );
  }
  if (m.latency) {
    cards.push({ id: 'latency', label: 'Latency p50', value: ms(m.latency.p50Ms), sub: `p95 ${ms(m.latency.p95Ms)}`, raw: m.latency.p50Ms, higherIsBetter: false, rate: false });
  }
  if (m.throughputPerSec !== null) {
    cards.push({ id: 'throughput', label: 'Throughput', value: `${m.throughputPerSec.toFixed(2)}/s`, sub: 'samples per second', raw: m.throughputPerSec, higherIsBetter: true, rate: false });
  }
  return cards;
}

function deltaText(card: Card, base: Card): { text: string; better: boolean | null } {
  if (card.raw === null || base.raw === null) return { text: '', better: null };
  const d = card.raw - base.raw;
  const better = Math.abs(d) < 1e-9 ? null : d > 0 === card.higherIsBetter;
  if (card.rate) return { text: deltaPp(base.raw, card.raw), better };
  const abs = Math.abs(d);
  const sign = d >= 0 ? '+' : '−';
  if (card.id === 'latency') return { text: `${sign}${ms(abs)}`, better };
  if (card.id === 'throughput') return { text: `${sign}${abs.toFixed(2)}/s`, better };
  return { text: `${sign}${abs.toFixed(3)}`, better };
}

/** The union of both runs' cards in one order, so two runs of different modes line up card for card (compare view). */
export function cardSlots(...runs: (EvalMetrics | null)[]): { id: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const m of runs) if (m) for (const c of metricCards(m)) if (!seen.has(c.id)) seen.set(c.id, c.label);
  const order = ['accuracy', 'balanced-accuracy', 'macro-f1', 'off-label', 'ece', 'brier', 'log-loss', 'latency', 'throughput'];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...seen].map(([id, label]) => ({ id, label })).sort((a, b) => rank(a.id) - rank(b.id));
}

interface MetricCardsProps {
  metrics: EvalMetrics;
  against?: EvalMetrics | null;
  testId?: string;
  /** Fixed card positions (cardSlots): a card this run lacks shows "—" in its place. */
  slots?: { id: string; label: string }[];
}

export function MetricCards({ metrics, against, testId = 'metric-cards', slots }: MetricCardsProps) {
  const base = against ? metricCards(against) : [];
  const own = metricCards(metrics);
  const shown: (Card | { id: string; label: string; missing: true })[] = slots
    ? slots.map((slot) => own.find((c) => c.id === slot.id) ?? { ...slot, missing: true as const })
    : own;
  return (
    <div className="metric-cards" data-testid={testId}>
      {shown.map((card) => {
        if ('missing' in card) {
          return (
            <div key={card.id} className="metric-card missing" data-testid={`metric-${card.id}`} data-value="" data-missing="true">
              <div className="metric-label">{card.label}</div>
              <div className="metric-value">—</div>
              <div className="metric-sub">not measured in this mode</div>
            </div>
          );
        }
        const other = base.find((b) => b.id === card.id);
        const delta = other ? deltaText(card, other) : null;
        return (
          <div key={card.id} className="metric-card" data-testid={`metric-${card.id}`} data-value={card.raw ?? ''}>
            <div className="metric-label">{card.label}</div>
            <div className="metric-value">{card.value}</div>
            {delta && delta.text ? (
              <div className={`metric-delta${delta.better === null ? '' : delta.better ? ' better' : ' worse'}`}>{delta.text} vs A</div>
            ) : card.sub ? (
              <div className="metric-sub">{card.sub}</div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
