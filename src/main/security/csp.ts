/** The one Content-Security-Policy string, shared by the Electron shell and the browser host so both stay equally strict. */

export const MEDIA_SCHEME = 'studio-media';

export interface CspOptions {
  /** Extra connect-src entries (the browser host's ws:// origin, the Vite dev server in development). */
  connectSrc?: string[];
  /** Development only (Vite dev server): its client injects <style> tags and the React refresh preamble is an inline script. */
  dev?: boolean;
}

export function buildCsp(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  const inline = options.dev ? "'self' 'unsafe-inline'" : "'self'";
  return [
    "default-src 'self'",
    `script-src ${inline}`,
    `style-src ${inline}`,
    `img-src 'self' ${MEDIA_SCHEME}: blob: data:`,
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
