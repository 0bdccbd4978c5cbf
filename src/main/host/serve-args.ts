/** Command-line options of the browser host entry (kept apart from serve.ts so they can be tested without starting a server). */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface ServeOptions {
  workspace: string;
  port: number;
  renderer: string;
  seedSample: boolean;
}

export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STUDIO_WORKSPACE || join(homedir(), '.local', 'share', 'vlm-classifier-studio', 'workspace');
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string' },
      port: { type: 'string' },
      renderer: { type: 'string' },
      'no-sample': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  return {
    workspace: resolve(values.workspace ?? defaultWorkspaceDir(env)),
    port,
    renderer: resolve(values.renderer ?? join('out', 'renderer')),
    seedSample: !values['no-sample'],
  };
}
