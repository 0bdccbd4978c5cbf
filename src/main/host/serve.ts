/** `npm run host` (and the `npm start` fallback): opens a workspace and serves the studio to a local browser until SIGINT/SIGTERM. */
import { createStudioCore } from '../api/studio-core';
import { seedSampleProject } from '../sample/seed-sample';
import { openNodeSecretStore } from '../secrets/open-node-secret-store';
import { openWorkspace } from '../workspace/workspace';
import { startBrowserHost } from './browser-host';
import { parseServeArgs } from './serve-args';

async function main(): Promise<void> {
  const opts = parseServeArgs(process.argv.slice(2));
  const workspace = openWorkspace(opts.workspace);
  const secrets = await openNodeSecretStore();
  if (!secrets.keychain) console.log(`Secrets: ${secrets.reason}; they come from STUDIO_SECRET_* variables or are kept in memory until exit`);
  const core = createStudioCore(workspace, 'browser', { secrets });
  if (opts.seedSample) {
    try {
      const jobId = seedSampleProject(core);
      if (jobId) console.log(`Importing the sample project into ${opts.workspace} (job ${jobId})`);
    } catch (err) {
      console.warn(`Could not seed the sample project: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const host = await startBrowserHost({
    workspace,
    handlers: core.handlers,
    bus: core.bus,
    rendererDir: opts.renderer,
    port: opts.port,
  });
  console.log(`VLM Classifier Studio is running at ${host.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    host
      .close()
      .then(() => core.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
