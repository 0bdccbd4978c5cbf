/** Train and eval loss against optimizer step, drawn with uPlot (the app's one charting library); sized to its card. */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { FinetuneMetricLine } from '../../../shared/finetune-types';

const HEIGHT = 220;
/** Whole steps only on the x axis. */
const STEP_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** Columns uPlot plots: steps, train loss, eval loss (null where a step has no eval). */
export function lossColumns(rows: FinetuneMetricLine[]): uPlot.AlignedData {
  return [rows.map((r) => r.step), rows.map((r) => r.train_loss), rows.map((r) => (typeof r.eval_loss === 'number' ? r.eval_loss : null))];
}

function options(width: number, onScaleX: (plot: uPlot) => void): uPlot.Options {
  return {
    width,
    hooks: { setScale: [(plot, key) => key === 'x' && onScaleX(plot)] },
    height: HEIGHT,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    axes: [
      { label: 'step', stroke: '#6b7585', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e1e4ea' }, incrs: STEP_INCRS },
      { label: 'loss', stroke: '#6b7585', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e1e4ea' }, size: 56 },
    ],
    series: [
      { label: 'step', show: false },
      { label: 'train loss', stroke: '#2f6fed', width: 2, points: { show: false } },
      { label: 'eval loss', stroke: '#d9822b', width: 2, spanGaps: true, points: { show: true, size: 6, fill: '#d9822b' } },
    ],
  };
}

export function LossChart({ rows }: { rows: FinetuneMetricLine[] }) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const data = useMemo(() => lossColumns(rows), [rows]);
  const dataRef = useRef(data);
  dataRef.current = data;

  /** What uPlot itself drew: its x scale's max, for tests and screen readers' data attributes. */
  const markScale = (plot: uPlot) => {
    if (wrapRef.current) wrapRef.current.dataset.scaleXMax = String(plot.scales.x.max ?? '');
  };

  useEffect(() => {
    const wrap = wrapRef.current;
    if (!wrap) return;
    const plot = new uPlot(options(Math.max(200, wrap.clientWidth), markScale), dataRef.current, wrap);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, wrap.clientWidth), height: HEIGHT }));
    observer.observe(wrap);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, []);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    plot.setData(data);
  }, [data]);

  const steps = data[0] as number[];
  const evalPoints = rows.filter((r) => typeof r.eval_loss === 'number').length;
  return (
    <div
      ref={wrapRef}
      className="loss-chart"
      data-testid="loss-chart"
      data-points={rows.length}
      data-eval-points={evalPoints}
      data-x-max={steps.length > 0 ? steps[steps.length - 1] : ''}
    />
  );
}
