// The one error handler: every error leaves as RFC 9457 application/problem+json with a stable code.
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, type FieldError } from '../lib/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 413: 'Content Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 431: 'Request Header Fields Too Large', 422: 'Unprocessable Content', 428: 'Precondition Required',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail?: string, errors?: FieldError[]): Problem {
  return {
    type: `https://leercultuurscan.nl/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, p: Problem, headers?: Record<string, string>) {
  if (headers) reply.headers(headers);
  return reply
    .code(p.status)
    .type('application/problem+json; charset=utf-8')
    .send({ ...p, instance: request.url.split('?')[0] });
}

export { isDatabaseUnavailable } from '../db/unavailable.js';

/** A string PostgreSQL and every output can hold: no NUL character and no unpaired UTF-16 surrogate. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export function isCleanString(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}

/**
 * The first string (or object key) in a parsed value that is not clean, as a field path, or null.
 * Buffers (uploaded files) are binary and not looked into.
 */
export function findUncleanString(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return isCleanString(value) ? null : path;
  if (value === null || typeof value !== 'object' || depth > 64 || Buffer.isBuffer(value) || value instanceof Uint8Array) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findUncleanString(value[i], `${path}.${i}`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isCleanString(k)) return `${path}.${k.split('\u0000').join('\\0').replace(new RegExp(LONE_SURROGATE, 'g'), '\ufffd')}`;
    const bad = findUncleanString(v, `${path}.${k}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/** For a raw text body (CSV): the line of the first bad character. */
function uncleanLine(text: string): number | null {
  if (isCleanString(text)) return null;
  const lines = text.split(/\r\n|\n|\r/);
  const i = lines.findIndex((l) => !isCleanString(l));
  return i + 1;
}

export class InvalidCharactersError extends AppError {
  constructor(path: string) {
    super(400, 'validation_failed', 'The request contains a NUL character or an unpaired surrogate', [
      { path, message: 'Contains a NUL character or an unpaired surrogate (not valid text)' },
    ]);
  }
}

/** Throws InvalidCharactersError naming the first field of the request that is not clean text. */
export function assertCleanRequest(request: FastifyRequest): void {
  const params = findUncleanString(request.params, 'params');
  if (params) throw new InvalidCharactersError(params);
  const query = findUncleanString(request.query, 'query');
  if (query) throw new InvalidCharactersError(query);
  const body: unknown = request.body;
  if (typeof body === 'string') {
    const line = uncleanLine(body);
    if (line !== null) throw new InvalidCharactersError(`body line ${line}`);
  } else {
    const bad = findUncleanString(body, 'body');
    if (bad) throw new InvalidCharactersError(bad);
  }
}

const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', detail: 'The address is not a valid URL' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', detail: 'A part of the address is too long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 500, code: 'internal_error', detail: 'Something went wrong on our side' },
};

/** Raw HTTP errors before Fastify has a request (bad characters in headers, header overflow, timeouts). */
export function clientErrorHandler(this: { log: { trace(o: unknown, m: string): void } }, err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request_timeout'] : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'header_too_large'] : [400, 'bad_request'];
  const detail = status === 408 ? 'The request took too long' : status === 431 ? 'The request headers are too large' : 'The request is not valid HTTP';
  const body = JSON.stringify(problem(status, code, detail));
  this.log.trace({ err }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/problem+json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** Fastify constructor options that route its own early errors through problem+json (see app.ts). */
export function problemServerOptions(): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler' | 'return503OnClosing'> {
  return {
    frameworkErrors: (error, request, reply) => {
      const known = FRAMEWORK_ERRORS[error.code] ?? { status: error.statusCode ?? 400, code: 'bad_request', detail: 'The request is not valid' };
      if (known.status >= 500) request.log.error({ err: error }, 'framework error');
      void sendProblem(reply, request, problem(known.status, known.code, known.detail));
    },
    clientErrorHandler: clientErrorHandler as FastifyServerOptions['clientErrorHandler'],
    // The errors plugin answers 503 problem+json itself while closing.
    return503OnClosing: false,
  };
}

function zodPath(instancePath: string, context: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  return [context, ...parts].join('.');
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * closing: set when the server starts shutting down (the entry file's drain, or app.close()).
     * keepConnections: while the listener is still open during a shutdown, 503s keep their
     * keep-alive connection (clients that ignore Retry-After then reuse it instead of opening new
     * connections, which the listener's close would reset); see server/shutdown.ts.
     */
    lifecycle: { closing: boolean; keepConnections: boolean };
  }
}

/** Seconds a client should wait before retrying on another instance (or this one, restarted). */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 2;

export default fp(
  async (app) => {
    // While closing, whatever arrives gets a problem+json 503 with Retry-After and the connection is
    // closed after the response (except while a shutdown keeps connections for its drain, see
    // server/shutdown.ts); requests already in progress finish normally. This replaces
    // Fastify's own plain-JSON 503 (return503OnClosing is off in app.ts).
    app.decorate('lifecycle', { closing: false, keepConnections: false });
    app.addHook('preClose', async () => {
      app.lifecycle.closing = true;
    });
    app.addHook('onRequest', async (request, reply) => {
      if (!app.lifecycle.closing) return;
      if (!app.lifecycle.keepConnections) reply.header('connection', 'close');
      return sendProblem(reply, request, problem(503, 'shutting_down', 'The server is shutting down; try again shortly'), {
        'retry-after': String(SHUTDOWN_RETRY_AFTER_SECONDS),
      });
    });
    // One place for text that no field may hold (PostgreSQL rejects NUL; lone surrogates are not text).
    app.addHook('preValidation', async (request) => {
      assertCleanRequest(request);
    });

    // Security headers on every answer, API included; the web pages' helmet sets its own first.
    app.addHook('onSend', async (request, reply, payload) => {
      if (!reply.hasHeader('x-content-type-options')) reply.header('x-content-type-options', 'nosniff');
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', "frame-ancestors 'none'");
      if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
      if (request.principal && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      if (app.lifecycle.closing && !app.lifecycle.keepConnections) reply.header('connection', 'close');
      return payload;
    });

    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, request, problem(404, 'route_not_found', `No route for ${request.method} ${request.url.split('?')[0]}`)),
    );

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const context = (error as { validationContext?: string }).validationContext ?? 'body';
        const errors = error.validation.map((v) => {
          const params = v.params as { keys?: unknown } | undefined;
          const keys = v.keyword === 'unrecognized_keys' && Array.isArray(params?.keys) ? (params.keys as string[]) : [];
          if (keys.length > 0) {
            return keys.map((k) => ({ path: zodPath(`${v.instancePath}/${k}`, context), message: 'Unknown field' }));
          }
          return [{ path: zodPath(v.instancePath, context), message: v.message ?? 'Invalid value' }];
        });
        return sendProblem(reply, request, problem(400, 'validation_failed', 'The request is not valid', errors.flat()));
      }
      if (error instanceof AppError) {
        if (error.status >= 500) request.log.error({ err: error }, 'service error');
        return sendProblem(reply, request, problem(error.status, error.code, error.message, error.errors), error.headers);
      }
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: { message: error.message, code: error.code } }, 'database unavailable');
        return sendProblem(reply, request, problem(503, 'database_unavailable', 'The database is not reachable; try again shortly'), { 'retry-after': '5' });
      }
      if (isResponseSerializationError(error)) {
        request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
        return sendProblem(reply, request, problem(500, 'internal_error', 'Something went wrong on our side'));
      }
      const status = error.statusCode ?? 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'unhandled error');
        return sendProblem(reply, request, problem(500, 'internal_error', 'Something went wrong on our side'));
      }
      // Fastify's own 4xx errors (malformed JSON, body too large, unsupported media type, timeouts).
      const code = (error.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase();
      return sendProblem(reply, request, problem(status, code, error.message));
    });
  },
  { name: 'errors' },
);
