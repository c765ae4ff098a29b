// A text body (CSV upload) read with its limits checked as it streams: a body over its byte limit or
// with more lines than an upload may have is refused (413) at the chunk that crosses the limit, not
// after the whole body was buffered and parsed into rows. The rest of the body is drained without
// being kept, so a 200,000-line upload costs no more memory than an allowed one.
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { AppError } from './errors.js';

export interface BodyBounds {
  maxBytes: number;
  /** Lines (newline characters) the body may have: rows plus a header and some slack. */
  maxLines: number;
}

export class BodyTooLargeError extends AppError {
  constructor(kind: 'bytes' | 'lines', limit: number) {
    super(
      413,
      kind === 'bytes' ? 'body_too_large' : 'too_many_lines',
      kind === 'bytes' ? `The body is larger than ${limit} bytes` : `The upload has more than ${limit} lines`,
      [{ path: 'body', message: kind === 'bytes' ? `at most ${limit} bytes` : `at most ${limit} lines` }],
    );
  }
}

/** A Fastify content-type parser (no parseAs) that yields the body as a string within `bounds`. */
export function boundedTextParser(bounds: BodyBounds) {
  return (request: FastifyRequest, payload: Readable, done: (err: Error | null, body?: unknown) => void): void => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > bounds.maxBytes) {
      payload.resume();
      done(new BodyTooLargeError('bytes', bounds.maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let lines = 0;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      payload.removeListener('data', onData);
      payload.resume(); // drain and drop the rest
      done(err);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > bounds.maxBytes) return fail(new BodyTooLargeError('bytes', bounds.maxBytes));
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (lines > bounds.maxLines) return fail(new BodyTooLargeError('lines', bounds.maxLines));
      chunks.push(chunk);
    };
    payload.on('data', onData);
    payload.once('error', fail);
    payload.once('end', () => {
      if (settled) return;
      settled = true;
      done(null, Buffer.concat(chunks).toString('utf8'));
    });
  };
}
