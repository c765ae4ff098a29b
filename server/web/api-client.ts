// The web app is a client of the JSON API: page routes call it in-process with app.inject(), passing the
// caller's session cookie and (after the page checked the form's CSRF field) the CSRF header. Access
// rules, validation, idempotency and problem+json stay in one place, the API, and every page shows
// exactly what an integration would get.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { FieldError } from '../lib/errors.js';
import { requestLang, translateMessage, type Lang } from './i18n.js';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  rawPayload: Buffer;
  json<T = unknown>(): T;
}

export interface ApiProblem {
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
}

/** A non-2xx answer of the API, carried to the page error handler or caught by a form to re-render. */
export class ApiError extends Error {
  constructor(readonly problem: ApiProblem, readonly headers: ApiResponse['headers'] = {}) {
    super(`${problem.status} ${problem.code}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiCallOptions {
  /** JSON body. */
  json?: unknown;
  /** Raw body with its content type (CSV uploads). */
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** 'staff' forwards the session cookie and CSRF token; 'none' calls anonymously (respondent API). */
  as?: 'staff' | 'none';
}

export function apiClient(app: FastifyInstance, request: FastifyRequest) {
  async function call(method: Method, url: string, opts: ApiCallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
    const p: Principal | null = request.principal;
    if ((opts.as ?? 'staff') === 'staff') {
      if (request.headers.cookie) headers.cookie = request.headers.cookie;
      if (p?.kind === 'user') headers['x-csrf-token'] = p.csrfToken;
    }
    let payload: string | Buffer | undefined;
    if (opts.json !== undefined) {
      payload = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    } else if (opts.body !== undefined) {
      payload = opts.body;
      headers['content-type'] = opts.contentType ?? 'text/plain';
    }
    // The page resolved the caller already; the API call takes it over instead of resolving it again.
    const forward = (opts.as ?? 'staff') === 'staff' && p ? app.forwardPrincipal(p) : undefined;
    if (forward) Object.assign(headers, forward.headers);
    let res: Awaited<ReturnType<FastifyInstance['inject']>>;
    try {
      res = await app.inject({ method, url, headers, payload, remoteAddress: request.ip });
    } finally {
      forward?.release();
    }
    return {
      status: res.statusCode,
      headers: res.headers as ApiResponse['headers'],
      body: res.body,
      rawPayload: res.rawPayload,
      json: <T>() => JSON.parse(res.body) as T,
    };
  }

  /** Calls the API and returns the parsed JSON, or throws ApiError for any non-2xx answer. */
  async function ok<T>(method: Method, url: string, opts: ApiCallOptions = {}): Promise<T> {
    const res = await call(method, url, opts);
    if (res.status >= 200 && res.status < 300) return (res.status === 204 || res.body === '' ? undefined : res.json<T>()) as T;
    throw toApiError(res, requestLang(request));
  }

  return { call, ok, get: <T>(url: string, o?: ApiCallOptions) => ok<T>('GET', url, o) };
}

/** A non-2xx answer as ApiError; with `lang`, its detail and field messages in that language. */
export function toApiError(res: ApiResponse, lang: Lang = 'en'): ApiError {
  let problem: ApiProblem = { status: res.status, code: 'error' };
  try {
    const b = res.json<Partial<ApiProblem>>();
    problem = {
      status: res.status,
      code: b.code ?? 'error',
      detail: translateMessage(lang, b.detail),
      errors: b.errors?.map((e) => ({ ...e, message: translateMessage(lang, e.message) ?? e.message })),
    };
  } catch {
    // Non-JSON error body: keep the status.
  }
  return new ApiError(problem, res.headers);
}

/** Whether a route exists in the API yet (page features appear as the API grows). */
export function hasApiRoute(app: FastifyInstance, method: Method, url: string): boolean {
  return app.hasRoute({ method, url });
}
