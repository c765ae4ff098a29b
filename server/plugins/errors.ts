// The one error handler: every error leaves as RFC 9457 application/problem+json with a stable code.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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
  415: 'Unsupported Media Type', 422: 'Unprocessable Content', 428: 'Precondition Required',
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

function zodPath(instancePath: string, context: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  return [context, ...parts].join('.');
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set when the server starts shutting down (the entry file's drain, or app.close()). */
    lifecycle: { closing: boolean };
  }
}

/** Seconds a client should wait before retrying on another instance (or this one, restarted). */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 2;

export default fp(
  async (app) => {
    // While closing, whatever arrives gets a problem+json 503 with Retry-After and the connection is
    // closed after the response; requests already in progress finish normally. This replaces
    // Fastify's own plain-JSON 503 (return503OnClosing is off in app.ts).
    app.decorate('lifecycle', { closing: false });
    app.addHook('preClose', async () => {
      app.lifecycle.closing = true;
    });
    app.addHook('onRequest', async (request, reply) => {
      if (!app.lifecycle.closing) return;
      reply.header('connection', 'close');
      return sendProblem(reply, request, problem(503, 'shutting_down', 'The server is shutting down; try again shortly'), {
        'retry-after': String(SHUTDOWN_RETRY_AFTER_SECONDS),
      });
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (app.lifecycle.closing) reply.header('connection', 'close');
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
