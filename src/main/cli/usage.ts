/** The CLI's usage text, one entry per command, so `--help` on any command prints just that command's usage. */

export const COMMAND_USAGE = {
  import: 'import <folder|manifest.csv|manifest.jsonl> --workspace DIR [--dataset NAME] [--format auto|imagefolder|csv|jsonl|hf-imagefolder]',
  list: 'list --workspace DIR',
  split: 'split --workspace DIR --dataset NAME [--ratios 0.8,0.1,0.1 | 0.9,0.1] [--seed 23]',
  snapshot: 'snapshot --workspace DIR --dataset NAME --name VERSION [--note TEXT]',
  export:
    'export --workspace DIR --dataset NAME --version VERSION --out DIR [--format jsonl-chat|csv|imagefolder]\n' +
    '         [--system-prompt TEXT] [--user-prompt TEXT]   ({{labels}} expands to "- a" lines)',
  eval:
    "eval --workspace DIR --config FILE.yaml [--name RUN_NAME]   (seeds' evaluate.py keys + mode, dataset_version, device, dtype, class_mapping, cascade)\n" +
    '       eval --workspace DIR --resume RUN_ID                  (continue a cancelled, failed or crashed eval)\n' +
    '       eval --workspace DIR --matrix FILE.yaml [--name NAME]  (prompt × model matrix: prompts:, models:, modes: over one sample plan)\n' +
    '       eval --workspace DIR --resume-matrix MATRIX_ID        (continue a cancelled or crashed matrix)',
  finetune:
    "finetune --workspace DIR --config FILE.yaml [--base MODEL] [--dataset NAME] [--version SNAPSHOT] [--name OUT]\n" +
    "         (seeds' fine-tune YAML; trains LoRA on the snapshot's train split in a detached process, registers the model; Ctrl-C cancels)",
  models: 'models create-mini-vlm --workspace DIR --name NAME   (a mini-VLM base: bundled MobileNetV2 + small LM, untrained; fine-tune it on a snapshot)',
  find:
    'find duplicates|quality|overlays|label-errors --workspace DIR --dataset NAME [--run RUN_ID] [--top N] [--radius N] [--options JSON]\n' +
    '         (ranks suspects into a review queue; prints rank, original path, score, reason; duplicates one line per group)',
  runtime:
    'runtime list [--details]     execution providers (cpu, cuda, webgpu) and what each needs (no workspace)\n' +
    '       runtime install cuda         download the CUDA runtime for ONNX Runtime (opt-in, needs internet)',
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_USAGE, name);
}

export const USAGE = `usage: npm run studio -- <command> --workspace <dir> [options]

commands:
  import <folder|manifest.csv|manifest.jsonl> [--dataset NAME] [--format auto|imagefolder|csv|jsonl|hf-imagefolder]
  list
  split    --dataset NAME [--ratios 0.8,0.1,0.1 | 0.9,0.1] [--seed 23]
  snapshot --dataset NAME --name VERSION [--note TEXT]
  export   --dataset NAME --version VERSION --out DIR [--format jsonl-chat|csv|imagefolder]
           [--system-prompt TEXT] [--user-prompt TEXT]   ({{labels}} expands to "- a" lines)
  eval     --config FILE.yaml [--name RUN_NAME]   (seeds' evaluate.py keys + mode, dataset_version, device, dtype, class_mapping)
  eval     --resume RUN_ID                        (continue a cancelled, failed or crashed eval)
  eval     --matrix FILE.yaml [--name NAME]       (prompt × model matrix over one sample plan; prints the matrix)
  finetune --config FILE.yaml [--base MODEL] [--dataset NAME] [--version SNAPSHOT] [--name OUT]   (LoRA fine-tune; Ctrl-C cancels)
  models   create-mini-vlm --name NAME             (a mini-VLM base to fine-tune: MobileNetV2 + small LM)
  find     duplicates|quality|overlays|label-errors --dataset NAME [--run RUN_ID] [--top N]   (data-quality suspects)
  runtime  list [--details] | install cuda        (execution providers; no --workspace needed)

Run \`npm run studio -- <command> --help\` for one command's usage.`;

/** Usage of one command (or the whole CLI when the name is not a command). */
export function usageOf(command: string): string {
  return isCommandName(command) ? `usage: npm run studio -- ${COMMAND_USAGE[command]}` : USAGE;
}

/** True when the arguments ask for help (before `--`, which ends the options). */
export function wantsHelp(argv: string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}
