/** Request gatekeeping for the browser host: loopback Host header (DNS rebinding), same-origin Origin, and the per-launch token. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-studio-token';

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookie name carries the port: cookies are per host, not per port, so two studios must not clobber each other. */
export function cookieName(port: number): string {
  return `studio_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokensEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export interface GuardResult {
  ok: boolean;
  reason?: string;
  /** True when the token came from ?token= (the page should then get the cookie). */
  fromQuery?: boolean;
}

export class HostGuard {
  constructor(
    private readonly token: string,
    private readonly port: () => number,
  ) {}

  private allowedHosts(): string[] {
    const p = this.port();
    return [`127.0.0.1:${p}`, `localhost:${p}`];
  }

  hostAllowed(host: string | undefined): boolean {
    return typeof host === 'string' && this.allowedHosts().includes(host.toLowerCase());
  }

  /** No Origin (same-origin GET, non-browser client) is fine; any other origin than ours is not. */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    return this.allowedHosts().some((h) => origin.toLowerCase() === `http://${h}`);
  }

  /** Full check for one request; `query` is the parsed query string of the request URL. */
  check(req: IncomingMessage, query: URLSearchParams): GuardResult {
    if (!this.hostAllowed(req.headers.host)) return { ok: false, reason: 'host not allowed' };
    const origin = req.headers.origin;
    if (!this.originAllowed(typeof origin === 'string' ? origin : undefined)) {
      return { ok: false, reason: 'cross-origin request refused' };
    }
    const header = req.headers[TOKEN_HEADER];
    if (typeof header === 'string' && tokensEqual(header, this.token)) return { ok: true };
    const cookie = parseCookies(req.headers.cookie).get(cookieName(this.port()));
    if (cookie !== undefined && tokensEqual(cookie, this.token)) return { ok: true };
    const fromQuery = query.get('token');
    if (req.method === 'GET' && fromQuery !== null && tokensEqual(fromQuery, this.token)) {
      return { ok: true, fromQuery: true };
    }
    return { ok: false, reason: 'missing or invalid token' };
  }
}
