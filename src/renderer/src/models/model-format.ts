/** Human text for a model's provenance (local folder, Hub repo@revision, fine-tuned here, base model) and kind. */
import { assertNever } from '../../../shared/assert-never';
import type { ModelKind, ModelProvenance } from '../../../shared/model-types';

export function kindLabel(kind: ModelKind): string {
  switch (kind) {
    case 'vlm':
      return 'VLM';
    case 'onnx-classifier':
      return 'ONNX classifier';
    default:
      return assertNever(kind, 'model kind');
  }
}

export function sourceText(p: ModelProvenance): string {
  if (p.source === 'local') return 'Local folder';
  if (p.source === 'finetune') return p.finetune ? `Fine-tuned here (${p.finetune.backend === 'ssh' ? 'SSH host' : p.finetune.backend === 'process' ? 'this computer' : p.finetune.backend})` : 'Fine-tuned here';
  const rev = p.revision ? `@${p.revision}` : '';
  const commit = p.commit ? ` (${p.commit.slice(0, 8)})` : '';
  return `Hub ${p.repoId ?? '?'}${rev}${commit}`;
}
