/** Stratified split: seed (default 23) + ratio presets or custom ratios that must sum to 1; shows per-class counts. */
import { useState } from 'react';
import type { SplitResult } from '../../../shared/domain';
import { useStudio } from '../state/studio-context';
import { Modal } from './modal';

type Ratios = { train: number; val: number; test: number };
const PRESETS: { id: string; label: string; ratios: Ratios }[] = [
  { id: '90-10', label: 'train 0.9 / test 0.1', ratios: { train: 0.9, val: 0, test: 0.1 } },
  { id: '80-10-10', label: 'train 0.8 / val 0.1 / test 0.1', ratios: { train: 0.8, val: 0.1, test: 0.1 } },
];

interface SplitDialogProps {
  datasetId: number;
  onClose: () => void;
  onDone: (result: SplitResult) => void;
}

export function SplitDialog({ datasetId, onClose, onDone }: SplitDialogProps) {
  const { api, reportError } = useStudio();
  const [seed, setSeed] = useState('23');
  const [preset, setPreset] = useState<string>('90-10');
  const [custom, setCustom] = useState({ train: '0.7', val: '0.15', test: '0.15' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SplitResult | null>(null);

  const ratios: Ratios =
    PRESETS.find((p) => p.id === preset)?.ratios ??
    { train: Number(custom.train), val: Number(custom.val), test: Number(custom.test) };
  const sum = ratios.train + ratios.val + ratios.test;
  const seedValue = Number(seed);
  const problems: string[] = [];
  if (!Number.isInteger(seedValue) || seedValue < 0) problems.push('Seed must be a non-negative integer.');
  if (Object.values(ratios).some((r) => !Number.isFinite(r) || r < 0 || r > 1)) problems.push('Each ratio must be between 0 and 1.');
  else if (Math.abs(sum - 1) > 1e-6) problems.push(`Ratios must sum to 1 (now ${sum.toFixed(3)}).`);

  const apply = async () => {
    if (problems.length > 0 || busy) return;
    setBusy(true);
    try {
      const res = await api.splits.assign({ datasetId, seed: seedValue, ratios });
      setResult(res);
      onDone(res);
    } catch (error) {
      reportError('Assigning splits', error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Split train / val / test"
      testId="split-dialog"
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" onClick={onClose} data-testid="split-close">
            {result ? 'Done' : 'Cancel'}
          </button>
          <button type="button" className="primary" disabled={problems.length > 0 || busy} onClick={() => void apply()} data-testid="split-apply">
            {busy ? 'Splitting…' : result ? 'Re-split' : 'Split'}
          </button>
        </>
      }
    >
      <p className="muted small">
        Stratified per class over active samples. The same seed and ratios always give the same assignment; the change can be undone (Z).
      </p>
      <div className="form">
        <label className="inline">
          Seed
          <input className="narrow" data-testid="split-seed" value={seed} inputMode="numeric" onChange={(e) => setSeed(e.target.value)} />
        </label>
        <fieldset className="radio-group">
          <legend>Ratios</legend>
          {PRESETS.map((p) => (
            <label key={p.id} className="radio">
              <input type="radio" name="split-preset" data-testid={`split-preset-${p.id}`} checked={preset === p.id} onChange={() => setPreset(p.id)} />
              {p.label}
            </label>
          ))}
          <label className="radio">
            <input type="radio" name="split-preset" data-testid="split-preset-custom" checked={preset === 'custom'} onChange={() => setPreset('custom')} />
            Custom
          </label>
          {preset === 'custom' ? (
            <div className="ratio-inputs">
              {(['train', 'val', 'test'] as const).map((k) => (
                <label key={k} className="inline">
                  {k}
                  <input
                    className="narrow"
                    data-testid={`split-ratio-${k}`}
                    value={custom[k]}
                    inputMode="decimal"
                    onChange={(e) => setCustom({ ...custom, [k]: e.target.value })}
                  />
                </label>
              ))}
            </div>
          ) : null}
        </fieldset>
        {problems.map((p) => (
          <p key={p} className="form-error" data-testid="split-error">
            {p}
          </p>
        ))}
      </div>
      {result ? <SplitCounts result={result} /> : null}
    </Modal>
  );
}

function SplitCounts({ result }: { result: SplitResult }) {
  const rows = Object.entries(result.counts);
  const totals = { train: 0, val: 0, test: 0 };
  for (const [, c] of rows) {
    totals.train += c.train;
    totals.val += c.val;
    totals.test += c.test;
  }
  return (
    <table className="plain-table" data-testid="split-result">
      <thead>
        <tr>
          <th>Class</th>
          <th className="num">train</th>
          <th className="num">val</th>
          <th className="num">test</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, c]) => (
          <tr key={name} data-testid={`split-count-${name}`}>
            <td>{name}</td>
            <td className="num">{c.train}</td>
            <td className="num">{c.val}</td>
            <td className="num">{c.test}</td>
          </tr>
        ))}
        <tr className="total-row">
          <td>Total</td>
          <td className="num">{totals.train}</td>
          <td className="num">{totals.val}</td>
          <td className="num">{totals.test}</td>
        </tr>
      </tbody>
    </table>
  );
}
