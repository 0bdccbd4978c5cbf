/** Types for electron-version.mjs (imported by electron.vite.config.ts). */
export function pinnedElectronRange(root: string): string;
export function pinnedElectronMajor(root: string): string;
export function installedElectronVersion(root: string): string | null;
