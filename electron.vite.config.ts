/** electron-vite build: main (+ job worker, fine-tune child process), sandboxed CJS preload, React renderer. */
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { pinnedElectronMajor } from './scripts/electron-version.mjs';

// electron-vite derives its Node/Chrome build targets from the Electron major version; take it from
// our pinned range so the build works where npm dropped the optional `electron` package.
process.env.ELECTRON_MAJOR_VER ||= pinnedElectronMajor(__dirname);

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/index.ts'),
          'job-worker': resolve(__dirname, 'src/main/jobs/job-worker.ts'),
          'finetune-child': resolve(__dirname, 'src/main/finetunes/finetune-child.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
