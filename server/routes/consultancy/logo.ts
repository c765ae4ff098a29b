// Consultancy logos arrive as base64 in JSON. Only PNG and JPEG up to 1 MiB, recognised by their
// magic bytes (the declared type, if any, is not trusted).
import { ValidationFailedError } from '../../lib/errors.js';

export const MAX_LOGO_BYTES = 1024 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

export type LogoMime = 'image/png' | 'image/jpeg';

export function sniffImage(bytes: Buffer): LogoMime | null {
  if (bytes.length > PNG.length && bytes.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (bytes.length > JPEG.length && bytes.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  return null;
}

/** Decodes a base64 logo (optionally a data: URL) and checks size and type; 400 naming body.logo otherwise. */
export function decodeLogo(input: string, path = 'body.logo'): { bytes: Buffer; mime: LogoMime } {
  const fail = (message: string) => new ValidationFailedError('The logo is not acceptable', [{ path, message }]);
  const b64 = input.replace(/^data:image\/[a-z+.-]+;base64,/i, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) throw fail('Not valid base64');
  if (Math.floor((b64.length * 3) / 4) - (b64.match(/=+$/)?.[0].length ?? 0) > MAX_LOGO_BYTES) {
    throw fail('The logo is larger than 1 MiB');
  }
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) throw fail('The logo is empty');
  if (bytes.length > MAX_LOGO_BYTES) throw fail('The logo is larger than 1 MiB');
  const mime = sniffImage(bytes);
  if (!mime) throw fail('Only PNG or JPEG images are accepted');
  return { bytes, mime };
}
