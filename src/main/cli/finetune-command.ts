/** `studio finetune --config FILE.yaml`: resolves the seeds' YAML, shows what it maps and wraps, runs the finetune job (a detached process), prints progress and the registered model; Ctrl-C cancels. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { StudioEventBus } from '../api/event-bus';
import { resolveFinetuneYaml } from '../finetunes/finetune-config-resolve';
import { FinetuneEvaluator } from '../finetunes/finetune-evaluation';
import { getEvaluation } from '../finetunes/finetune-state-store';
import { validateFinetune } from '../finetunes/finetune-validate';
import { parseFinetuneYaml } from '../finetunes/finetune-yaml';
import { JobManager } from '../jobs/job-manager';
import { getModel } from '../models/model-registry';
import { openNodeSecretStore } from '../secrets/open-node-secret-store';
import { SecretLookup } from '../secrets/secret-lookup';
import type { Workspace } from '../workspace/workspace';
import { UsageError, parseCommand, required } from './args';

type Out = (line: string) => void;

/** 0: trained and registered; 1: failed or cancelled. */
export async function cmdFinetune(ws: Workspace, argv: string[], out: Out, err: Out): Promise<number> {
  const { values } = parseCommand(argv, { config: { type: 'string', short: 'c' }, base: { type: 'string' }, version: { type: 'string' }, name: { type: 'string', short: 'n' } });
  const file = resolve(required(values.config, 'config'));
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read config ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
  const { spec, warnings } = await resolveFinetuneYaml(ws.db, parseFinetuneYaml(text), {
    base: str(values.base),
    dataset: str(values.dataset),
    version: str(values.version),
    outputName: str(values.name),
    baseDir: dirname(file),
  });
  const v = validateFinetune(ws.db, spec, warnings);
  for (const w of v.warnings) err(`${w.fate === 'moot' ? 'moot' : w.fate}: ${w.key} — ${w.message}`);
  if (!v.ok) {
    for (const e of v.errors) err(`error: ${e}`);
    return 1;
  }
  const base = getModel(ws.db, spec.baseModelId);
  err(`base ${base.name}; ${v.trainSamples} train / ${v.valSamples} val samples; labels ${v.labels.join(', ')}`);
  err(`LoRA wraps ${v.wrappedCount} modules: ${v.targets.map((t) => `${t.name} → ${t.modules.map((m) => `${m.where} ×${m.count}`).join(', ') || 'nothing'}`).join('; ')}`);

  const bus = new StudioEventBus();
  // A remote backend needs its secrets (SSH key passphrase, Modal token): from the OS keychain, else STUDIO_SECRET_*.
  const secrets = spec.backend.kind === 'local' ? null : new SecretLookup(await openNodeSecretStore());
  if (secrets && !secrets.store.keychain) err(`secrets: ${secrets.store.reason}; using STUDIO_SECRET_* variables`);
  const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db, secret: secrets ? (name) => secrets.get(name) : undefined });
  const evaluator = new FinetuneEvaluator({ db: ws.db, jobs, bus });
  evaluator.start();
  const id = jobs.start('finetune', spec);
  out(`fine-tune job ${id}`);
  let last = '';
  bus.on('jobs:progress', (p) => {
    if ((p.jobId !== id && p.kind !== 'eval') || p.message === last) return;
    last = p.message;
    out(`[${String(Math.floor(p.value * 100)).padStart(3)}%] ${p.message}`);
  });
  const onSigint = (): void => {
    err('Cancelling the fine-tune (the trainer is stopped)…');
    jobs.cancel(id);
  };
  process.on('SIGINT', onSigint);
  try {
    const info = await jobs.wait(id);
    if (info.kind === 'finetune' && info.status === 'done' && info.result) {
      const r = info.result;
      out(`registered model #${r.modelId} "${r.modelName}" (${r.exportDir})`);
      out(`${r.steps} steps in ${r.trainSeconds.toFixed(1)} s; train_loss ${r.firstTrainLoss} → ${r.lastTrainLoss}; eval_loss ${r.lastEvalLoss ?? 'n/a'}; optimizer ${r.optimizer}`);
      await evaluator.settled(id);
      const ev = getEvaluation(ws.db, id);
      if (ev) out(`evaluation ${ev.state}: baseline run #${ev.baselineRunId ?? '—'} vs fine-tuned run #${ev.finetunedRunId ?? '—'}${ev.error ? ` (${ev.error})` : ''}`);
      return 0;
    }
    err(`fine-tune ${info.status}${info.error ? `: ${info.error}` : ''}`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    const closing = evaluator.close();
    await jobs.close();
    await closing;
  }
}
