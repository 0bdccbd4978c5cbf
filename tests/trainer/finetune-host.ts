/** A studio host process for the re-attach test: opens a workspace, starts one finetune job, prints its id and each progress message, then idles until killed. */
import { StudioEventBus } from '../../src/main/api/event-bus';
import { JobManager } from '../../src/main/jobs/job-manager';
import { finetuneSpecSchema } from '../../src/shared/finetune-types';
import { openWorkspace } from '../../src/main/workspace/workspace';

const [root, specJson] = process.argv.slice(2);
const ws = openWorkspace(root);
const bus = new StudioEventBus();
bus.on('jobs:progress', (p) => process.stdout.write(`PROGRESS ${p.message}\n`));
const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db });
process.stdout.write(`JOB ${jobs.start('finetune', finetuneSpecSchema.parse(JSON.parse(specJson)))}\n`);
setInterval(() => {}, 1 << 30);
