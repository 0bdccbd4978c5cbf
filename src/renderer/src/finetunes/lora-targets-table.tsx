/** Which modules each lora_target_modules name really wraps in this base (LFM2-VL renames o_proj → out_proj, gate/up/down → w1/w3/w2). */
import type { FinetuneValidation } from '../../../shared/finetune-types';

interface LoraTargetsTableProps {
  validation: FinetuneValidation | undefined;
  baseName: string | null;
  error: string | undefined;
}

export function LoraTargetsTable({ validation, baseName, error }: LoraTargetsTableProps) {
  // A list that wraps nothing is reported under the lora_target_modules field itself.
  if (error) return null;
  if (!validation || validation.targets.length === 0) return null;
  return (
    <div className="nf-lora" data-testid="lora-table">
      <div className="nf-lora-head">
        <strong>What LoRA wraps{baseName ? ` in ${baseName}` : ''}</strong>
        <span className="muted" data-testid="lora-wrapped-count">
          {validation.wrappedCount} Linear modules in all
        </span>
      </div>
      <table className="nf-table">
        <thead>
          <tr>
            <th>Target</th>
            <th>Wraps</th>
          </tr>
        </thead>
        <tbody>
          {validation.targets.map((t) => (
            <tr key={t.name} data-testid="lora-row" data-target={t.name} className={t.modules.length === 0 ? 'nf-lora-none' : undefined}>
              <td className="mono">{t.name}</td>
              <td>
                {t.modules.length === 0 ? (
                  <span className="warn">nothing in this base</span>
                ) : (
                  t.modules.map((m) => (
                    <span key={m.where} className="nf-module">
                      <span className="mono">{m.where}</span> ×{m.count}
                    </span>
                  ))
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
