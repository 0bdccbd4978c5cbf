/**
 * `npm run bench`: dataset-core benchmark on a synthetic 100k-image ImageFolder — import throughput
 * (with thumbnails), page/filter/sort query latency, relabel round-trip over the real HTTP host, peak RSS;
 * then load time and RSS of a base + 3 fine-tunes with shared vs separate ONNX sessions (fine-tune-sharing.ts),
 * then the overlays finder's OCR throughput with and without its prefilter on real photos (finders-ocr.ts).
 * then the finders' hashing and duplicate-search throughput on real photos (finders.ts).
 * Prints numbers measured in one run; no pass/fail thresholds (targets are printed beside them).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeSyntheticDataset } from './make-synthetic-dataset';
import { ms, percentile, timeAsync, timeIt } from './stats';
import { openWorkspace } from '../src/main/workspace/workspace';
import { runImport } from '../src/main/imports/import-runner';
import { pageSamples } from '../src/main/datasets/sample-query';
import { listClasses } from '../src/main/datasets/class-service';
import { createStudioCore } from '../src/main/api/studio-core';
import { startBrowserHost } from '../src/main/host/browser-host';
import { benchFineTuneSharing } from './fine-tune-sharing';
import { benchFindersOcr } from './finders-ocr';
import { benchFinders } from './finders';

const COUNT = Number(process.env.BENCH_SAMPLES ?? 100_000);
const dataRoot = resolve(process.env.BENCH_DIR ?? join(import.meta.dirname, '.data'));
const log = (m: string) => console.log(m);

async function main(): Promise<void> {
  log(`VLM Classifier Studio bench — ${COUNT} samples, ${process.arch}, node ${process.version}`);
  mkdirSync(dataRoot, { recursive: true });
  const source = await makeSyntheticDataset(dataRoot, COUNT, log);

  const wsDir = join(dataRoot, 'workspace');
  rmSync(wsDir, { recursive: true, force: true });
  const ws = openWorkspace(wsDir);

  // 1. Import throughput (hash + decode + store + WebP thumbnail + one transaction).
  const imp = await timeAsync(() => runImport(ws, { source, format: 'imagefolder', datasetName: 'bench' }, {}));
  const rate = imp.value.imported / (imp.ms / 1000);
  log(`import: ${imp.value.imported} images in ${(imp.ms / 1000).toFixed(1)} s = ${rate.toFixed(0)} img/s (target ≥ 300), issues ${imp.value.issues.length}`);

  // 2. Page query with a label filter + sort, at random offsets.
  const datasetId = imp.value.datasetId;
  const classes = listClasses(ws.db, datasetId);
  const pageTimes: number[] = [];
  const sorts = ['path', 'id', 'bytes', 'updated'] as const;
  for (let i = 0; i < 200; i++) {
    const cls = classes[i % classes.length];
    const t = timeIt(() =>
      pageSamples(ws.db, {
        filter: { datasetId, classIds: [cls.id], status: 'active' },
        sort: { key: sorts[i % sorts.length], desc: i % 2 === 1 },
        offset: (i * 797) % Math.max(1, cls.count - 200),
        limit: 200,
      }),
    );
    pageTimes.push(t.ms);
  }
  log(`page query (label filter + sort, 200 rows): p50 ${ms(percentile(pageTimes, 50))}, p95 ${ms(percentile(pageTimes, 95))} (target p95 ≤ 100 ms)`);
  const textTimes: number[] = [];
  for (let i = 0; i < 50; i++) {
    textTimes.push(timeIt(() => pageSamples(ws.db, { filter: { datasetId, text: `img-0${i % 10}` }, offset: 0, limit: 200 })).ms);
  }
  log(`page query (text search): p50 ${ms(percentile(textTimes, 50))}, p95 ${ms(percentile(textTimes, 95))}`);
  ws.close();

  // 3. Relabel round-trip through the real browser host: POST samples:edit, then re-read the page.
  const core = createStudioCore(openWorkspace(wsDir));
  const host = await startBrowserHost({ workspace: core.workspace, handlers: core.handlers, bus: core.bus, rendererDir: resolve('out/renderer') });
  const call = async (channel: string, body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${host.port}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-studio-token': host.token },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${channel}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const relabelTimes: number[] = [];
  for (let i = 0; i < 100; i++) {
    const sampleId = 1 + ((i * 7919) % COUNT);
    const t = await timeAsync(async () => {
      await call('samples:edit', { datasetId, edit: { kind: 'relabel', sampleIds: [sampleId], classId: classes[(i + 1) % classes.length].id } });
      await call('samples:page', { filter: { datasetId, classIds: [classes[(i + 1) % classes.length].id] }, sort: { key: 'id', desc: false }, offset: 0, limit: 200 });
    });
    relabelTimes.push(t.ms);
  }
  log(`relabel round-trip over HTTP (edit + page refresh): p50 ${ms(percentile(relabelTimes, 50))}, p95 ${ms(percentile(relabelTimes, 95))} (target p95 ≤ 100 ms)`);
  await host.close();
  await core.close();

  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  log(`peak RSS: ${peakRssMb.toFixed(0)} MB`);

  // 4. Hot-swappable fine-tunes: sessions shared by content vs every model on its own (child processes).
  await benchFineTuneSharing(dataRoot, log);

  // 5. Data-quality finders: overlay OCR with and without the text prefilter, on real photos.
  await benchFindersOcr(log);
  // 5. Data-quality finders: perceptual hashing on ≥ 10k real photos, duplicate search over 100k hashes.
  await benchFinders(dataRoot, log);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
