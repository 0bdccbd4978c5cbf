/** finetunes:log / finetunes:metrics through the real dispatcher on a real workspace whose run files the test writes as the trainer would. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinetuneMetricLine } from '../../src/shared/finetune-types';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { finetuneRunDir, LOG_CHUNK_BYTES } from '../../src/main/finetunes/finetune-run-files';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

let tw: TempWorkspace;
let core: StudioCore;
let call: (channel: string, args: unknown) => Promise<unknown>;
let run: string;
type LogChunk = { text: string; nextOffset: number; size: number };

beforeAll(() => {
  tw = makeTempWorkspace('vcs-ft-monitor-');
  const spec = { baseModelId: 1, versionId: 1, systemPrompt: '', userPrompt: 'Which?' };
  const insert = tw.db.prepare(`INSERT INTO jobs (id, kind, status, params_json, finished_at) VALUES (?, ?, 'done', ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);
  insert.run('ft1', 'finetune', JSON.stringify(spec));
  insert.run('imp1', 'import', JSON.stringify({ source: '/x' }));
  core = createStudioCore(tw.ws);
  call = createDispatcher(core.handlers);
  run = finetuneRunDir(tw.root, 'ft1');
});

afterAll(async () => {
  await core.jobs.close();
  tw.cleanup();
});

const line = (step: number, evalLoss?: number): string =>
  `${JSON.stringify({ step, epoch: step / 4, train_loss: 1 / step, ...(evalLoss === undefined ? {} : { eval_loss: evalLoss }), lr: 1e-4, samples_per_s: 3.5 })}\n`;

describe('finetunes:get', () => {
  it('names the base model and snapshot where they still exist (null here: ids 1 were never registered)', async () => {
    const ft = (await call('finetunes:get', { jobId: 'ft1' })) as { baseModelName: string | null; snapshot: unknown; job: { status: string } };
    expect([ft.job.status, ft.baseModelName, ft.snapshot]).toEqual(['done', null, null]);
  });
});

describe('finetunes:metrics', () => {
  it('is empty before the trainer writes, then returns whole rows only (a half-written line waits)', async () => {
    expect(await call('finetunes:metrics', { jobId: 'ft1' })).toEqual([]);
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'metrics.jsonl'), line(1) + line(2, 0.9) + '{"step": 3, "epo');
    const rows = (await call('finetunes:metrics', { jobId: 'ft1' })) as FinetuneMetricLine[];
    expect(rows.map((r) => [r.step, r.eval_loss])).toEqual([[1, undefined], [2, 0.9]]);
    appendFileSync(join(run, 'metrics.jsonl'), 'ch": 0.75, "train_loss": 0.3, "lr": 0.0001, "samples_per_s": 3}\n');
    expect(((await call('finetunes:metrics', { jobId: 'ft1' })) as FinetuneMetricLine[]).map((r) => r.step)).toEqual([1, 2, 3]);
  });
});

describe('finetunes:log', () => {
  it('pages train.log by byte offset, 64 KB at most per call, never splitting a UTF-8 character', async () => {
    expect(await call('finetunes:log', { jobId: 'ft1', offset: 0 })).toEqual({ text: '', nextOffset: 0, size: 0 });
    // 'é' is two bytes; the 64 KB boundary falls inside the first one after LOG_CHUNK_BYTES - 1 ASCII bytes.
    const body = `${'a'.repeat(LOG_CHUNK_BYTES - 1)}é tail\n`;
    writeFileSync(join(run, 'train.log'), body);
    const size = Buffer.byteLength(body);
    const first = (await call('finetunes:log', { jobId: 'ft1', offset: 0 })) as LogChunk;
    expect([first.text.length, first.nextOffset, first.size]).toEqual([LOG_CHUNK_BYTES - 1, LOG_CHUNK_BYTES - 1, size]);
    const second = (await call('finetunes:log', { jobId: 'ft1', offset: first.nextOffset })) as LogChunk;
    expect(second).toEqual({ text: 'é tail\n', nextOffset: size, size });
    expect(first.text + second.text).toBe(body);
    appendFileSync(join(run, 'train.log'), 'step 4\n');
    expect(await call('finetunes:log', { jobId: 'ft1', offset: second.nextOffset })).toEqual({ text: 'step 4\n', nextOffset: size + 7, size: size + 7 });
    // An offset past the end (a truncated log) reads nothing and points at the end.
    expect(await call('finetunes:log', { jobId: 'ft1', offset: size * 10 })).toEqual({ text: '', nextOffset: size + 7, size: size + 7 });
  });

  it('zod refuses bad arguments, and a job that is not a fine-tune is not found', async () => {
    await expect(call('finetunes:log', { jobId: 'ft1', offset: -1 })).rejects.toThrow(/offset/);
    await expect(call('finetunes:log', { jobId: 'ft1', offset: 1.5 })).rejects.toThrow(/offset/);
    await expect(call('finetunes:log', { jobId: 'ft1' })).rejects.toThrow(/offset/);
    await expect(call('finetunes:metrics', { jobId: '' })).rejects.toThrow(/jobId/);
    await expect(call('finetunes:metrics', { jobId: 'imp1' })).rejects.toThrow(/fine-tune job imp1/);
    await expect(call('finetunes:log', { jobId: 'nope', offset: 0 })).rejects.toThrow(/fine-tune job nope/);
  });
});
