/** One quality metric's histogram with its threshold lines, drawn with uPlot (the app's one chart library). */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const BINS = 30;
const HEIGHT = 78;

/** Bin centres and counts over [min, 99th percentile] (the long tail goes into the last bin). */
export function histogram(values: readonly number[]): { x: number[]; y: number[] } {
  if (values.length === 0) return { x: [], y: [] };
  const sorted = [...values].sort((a, b) => a - b);
  const lo = sorted[0];
  const hi = Math.max(sorted[Math.floor(0.99 * (sorted.length - 1))], lo + 1e-9);
  const width = (hi - lo) / BINS;
  const y = new Array<number>(BINS).fill(0);
  for (const v of values) y[Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
  return { x: y.map((_, i) => lo + (i + 0.5) * width), y };
}

interface MetricHistogramProps {
  label: string;
  values: readonly number[];
  thresholds: number[];
}

export function MetricHistogram({ label, values, thresholds }: MetricHistogramProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const thresholdsRef = useRef(thresholds);
  thresholdsRef.current = thresholds;
  const data = useMemo(() => {
    const h = histogram(values);
    return [h.x, h.y] as uPlot.AlignedData;
  }, [values]);

  useEffect(() => {
    const wrap = wrapRef.current;
    if (!wrap) return;
    const drawThresholds = (u: uPlot) => {
      const { ctx } = u;
      ctx.save();
      ctx.strokeStyle = '#c62f3b';
      ctx.lineWidth = 2 * uPlot.pxRatio;
      for (const t of thresholdsRef.current) {
        const x = u.valToPos(t, 'x', true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      }
      ctx.restore();
    };
    const plot = new uPlot(
      {
        width: Math.max(160, wrap.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { stroke: '#6b7585', size: 20, font: '10px sans-serif', grid: { show: false }, ticks: { stroke: '#e1e4ea', size: 3 } },
          { stroke: '#6b7585', size: 28, font: '10px sans-serif', grid: { stroke: '#eef0f4' }, ticks: { show: false } },
        ],
        series: [{}, { fill: '#2f6fed55', stroke: '#2f6fed', paths: uPlot.paths.bars?.({ size: [0.95, 40] }), points: { show: false } }],
        hooks: { draw: [drawThresholds] },
      },
      data,
      wrap,
    );
    plotRef.current = plot;
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(160, wrap.clientWidth), height: HEIGHT }));
    observer.observe(wrap);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [data]);

  useEffect(() => {
    plotRef.current?.redraw(false);
  }, [thresholds]);

  return (
    <div className="metric-histogram" data-testid="metric-histogram" data-metric={label}>
      <div className="metric-label">{label}</div>
      <div ref={wrapRef} />
    </div>
  );
}
