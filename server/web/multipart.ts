// A small multipart/form-data parser for the web app's upload forms (CSV of emails, benchmark CSV,
// logo). Uploads are small (the body limit applies), so the whole body is buffered and split; text
// fields become strings and files become { filename, mime, data } under their field name.

export interface UploadedFile {
  filename: string;
  mime: string;
  data: Buffer;
}

export type MultipartBody = Record<string, string | UploadedFile>;

export class MultipartError extends Error {}

function boundaryOf(contentType: string): string {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  if (!b || b.length > 200) throw new MultipartError('multipart body without a boundary');
  return b;
}

function headerParam(header: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  return m?.[1];
}

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = Buffer.from(`--${boundaryOf(contentType)}`);
  const out: MultipartBody = Object.create(null);
  let pos = body.indexOf(boundary);
  if (pos < 0) throw new MultipartError('multipart body does not start with its boundary');
  for (;;) {
    pos += boundary.length;
    // "--" after a boundary ends the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new MultipartError('multipart part without headers');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), boundary]), headerEnd + 4);
    if (next < 0) throw new MultipartError('multipart part without a closing boundary');
    const content = body.subarray(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = headerParam(disposition, 'name');
    const filename = headerParam(disposition, 'filename');
    const mime = (headers.find((h) => /^content-type:/i.test(h)) ?? '').replace(/^content-type:\s*/i, '').trim();
    if (name && !(name in out)) {
      out[name] = filename !== undefined ? { filename, mime: mime || 'application/octet-stream', data: Buffer.from(content) } : content.toString('utf8');
    }
    pos = next + 2;
  }
  return out;
}

export function isUploadedFile(v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && Buffer.isBuffer((v as UploadedFile).data);
}
