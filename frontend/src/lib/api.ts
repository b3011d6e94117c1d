// A typed client of the Brug API (api/openapi.yaml). The access token lives
// only in this module's memory; the refresh token only in an HttpOnly cookie.

export type Role = 'chw' | 'coordinator' | 'manager' | 'admin' | 'dpo';

export interface TeamRef { id: string; name: string }
export interface Fund { id: string; code: string; name: string }

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  team_ids: string[];
  teams: TeamRef[];
  fund_id: string | null;
  fund: Fund | null;
  language: string;
  all_reports: boolean;
  intake_duty: boolean;
  /** The account signs in with a code from an authenticator app too. */
  second_factor?: boolean;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  permissions?: string[];
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  /** Only for clients that ask (return_refresh_token); the web app never gets it. */
  refresh_token?: string;
  user: User;
  /** Only right after a second factor was set up during the sign-in. */
  recovery_codes?: string[];
}

/** A right password when a code is still due (202): verify, or set one up first. */
export interface SecondFactorChallenge {
  second_factor: 'verify' | 'enrol';
  challenge: string;
  expires_in: number;
}

/** A new second-factor secret: the QR code to scan, or the key to type. */
export interface Enrolment { secret: string; otpauth_uri: string; qr_code: string }

export function isChallenge(x: TokenResponse | SecondFactorChallenge): x is SecondFactorChallenge {
  return 'challenge' in x && !('access_token' in x);
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
  /** What the message is made of: max, min, example, expected, options, reason. */
  params?: Record<string, string | number | string[]>;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors: FieldError[];
}

export interface Page<T> { items: T[]; next_cursor: string | null }

export interface Team {
  id: string;
  slug: string;
  name: string;
  outreach: string | null;
  region: { code: string; names: Record<string, string> };
  municipalities: { id: string; name: string; neighbourhoods: { id: string; name: string }[] }[];
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public problem: Problem | null,
    public retryAfter: number | null = null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }
  /** Field errors keyed by field name. */
  fields(): Record<string, FieldError> {
    const out: Record<string, FieldError> = {};
    for (const e of this.problem?.errors ?? []) out[e.field] ??= e;
    return out;
  }
}

type FetchFn = typeof fetch;

let fetchImpl: FetchFn = (...args) => fetch(...args);
let accessToken: string | null = null;
let onSessionEnded: () => void = () => {};
let refreshing: Promise<TokenResponse | null> | null = null;

/** Tests inject fetch; the app registers what happens when a session ends. */
export function configure(opts: { fetch?: FetchFn; onSessionEnded?: () => void }) {
  if (opts.fetch) fetchImpl = opts.fetch;
  if (opts.onSessionEnded) onSessionEnded = opts.onSessionEnded;
}

export function setAccessToken(token: string | null) {
  accessToken = token;
}

/** For a download the browser fetches directly (a CSV file): the same token. */
export function accessTokenForDownload(): string {
  return accessToken ?? '';
}

export function hasAccessToken(): boolean {
  return accessToken !== null;
}

/** A new Idempotency-Key: one per user action, kept on every retry of it. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

const unsafe = (method: string) => method !== 'GET' && method !== 'HEAD';

async function send(method: string, path: string, body: unknown, auth: boolean, key?: string, extra?: Record<string, string>): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra };
  if (key) headers['Idempotency-Key'] = key;
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  // A form (file upload) sets its own multipart content type.
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (auth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  return fetchImpl(path, {
    method,
    headers,
    body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
    credentials: 'same-origin',
  });
}

async function toError(res: Response): Promise<ApiError> {
  let problem: Problem | null = null;
  try {
    problem = (await res.json()) as Problem;
  } catch {
    problem = null;
  }
  const ra = res.headers.get('Retry-After');
  return new ApiError(res.status, problem, ra ? Number(ra) : null);
}

/**
 * Whether the server said a session exists (the `brug_session` cookie: no
 * secret, set beside the HttpOnly refresh cookie and cleared with it). A
 * signed-out start then asks nothing and logs no 401.
 */
export function hasSessionHint(cookies = typeof document === 'undefined' ? '' : document.cookie): boolean {
  return cookies.split(';').some((c) => c.trim() === 'brug_session=1');
}

/** Rotates the refresh cookie. Concurrent callers share one request, so a
 * burst of 401s never presents the same refresh token twice. */
export function refreshSession(): Promise<TokenResponse | null> {
  refreshing ??= (async () => {
    try {
      const res = await send('POST', '/api/v1/auth/refresh', {}, false);
      if (!res.ok) {
        accessToken = null;
        return null;
      }
      const tokens = (await res.json()) as TokenResponse;
      accessToken = tokens.access_token;
      return tokens;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * Calls the API; on a 401 it refreshes the session once and retries. A write
 * carries an Idempotency-Key, the caller's (the offline queue keeps its own)
 * or one made for this call; the retry sends the same key, so the server does
 * the work once. headers adds request headers (If-Match).
 */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { idempotencyKey?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const key = unsafe(method) ? (opts.idempotencyKey ?? newIdempotencyKey()) : undefined;
  let res = await send(method, path, body, true, key, opts.headers);
  if (res.status === 401 && !path.startsWith('/api/v1/auth/')) {
    const tokens = await refreshSession();
    if (!tokens) {
      onSessionEnded();
      throw await toError(res);
    }
    res = await send(method, path, body, true, key, opts.headers);
    if (res.status === 401) onSessionEnded();
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/**
 * A PATCH of a record two people may edit, naming the version it was based on
 * (If-Match: "v<version>"). When the record changed meanwhile the answer is an
 * ApiError 412 whose problem has `current` (the record now) and `version`;
 * nothing was saved. Without a version it edits whatever is there.
 */
export function patchVersioned<T>(path: string, body: unknown, version: number | null | undefined): Promise<T> {
  return api<T>('PATCH', path, body, version ? { headers: { 'If-Match': `"v${version}"` } } : {});
}

/** Signs in; when a second factor is due the answer is a challenge (no session yet). */
export async function login(email: string, password: string): Promise<TokenResponse | SecondFactorChallenge> {
  const res = await send('POST', '/api/v1/auth/login', { email, password }, false);
  if (!res.ok) throw await toError(res);
  if (res.status === 202) return (await res.json()) as SecondFactorChallenge;
  const tokens = (await res.json()) as TokenResponse;
  accessToken = tokens.access_token;
  return tokens;
}

async function authStep<T>(path: string, body: unknown): Promise<T> {
  const res = await send('POST', path, body, false);
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}

/** Finishes a sign-in with a code from the app or a recovery code. */
export async function verifySecondFactor(challenge: string, code: string): Promise<TokenResponse> {
  const tokens = await authStep<TokenResponse>('/api/v1/auth/second-factor', { challenge, code });
  accessToken = tokens.access_token;
  return tokens;
}

/** During a sign-in that must set up a second factor: a new secret. */
export function startEnrolment(challenge: string): Promise<Enrolment> {
  return authStep<Enrolment>('/api/v1/auth/second-factor/enrolment', { challenge });
}

/** Turns the new second factor on with its first code; the answer has the recovery codes. */
export async function confirmEnrolment(challenge: string, code: string): Promise<TokenResponse> {
  const tokens = await authStep<TokenResponse>('/api/v1/auth/second-factor/enrolment/confirm', { challenge, code });
  accessToken = tokens.access_token;
  return tokens;
}

export async function logout(): Promise<void> {
  try {
    await send('POST', '/api/v1/auth/logout', {}, true);
  } finally {
    accessToken = null;
  }
}
