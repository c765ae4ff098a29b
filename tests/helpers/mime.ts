// A small reader of the MIME messages nodemailer writes (multipart, quoted-printable or base64
// parts), for asserting on what a test SMTP server or the outbox received. Not a general parser.
export interface ParsedMail {
  headers: Map<string, string>;
  text: string;
  html: string;
  /** Content-IDs of inline parts, without angle brackets. */
  cids: string[];
}

function splitHead(raw: string): [Map<string, string>, string] {
  const i = raw.search(/\r?\n\r?\n/);
  const head = i < 0 ? raw : raw.slice(0, i);
  const body = i < 0 ? '' : raw.slice(i).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  return [headers, body];
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words in a header (=?UTF-8?Q?...?= or ?B?). */
export function decodeHeader(v: string): string {
  return v.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')),
  );
}

export function parseMail(raw: string): ParsedMail {
  const out: ParsedMail = { headers: new Map(), text: '', html: '', cids: [] };
  const walk = (part: string, top: boolean) => {
    const [headers, body] = splitHead(part);
    if (top) out.headers = headers;
    const type = headers.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const sub of body.split(`--${boundary}`).slice(1)) {
        if (sub.startsWith('--')) break;
        walk(sub.replace(/^\r?\n/, ''), false);
      }
      return;
    }
    const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
    const cid = headers.get('content-id');
    if (cid) out.cids.push(cid.replace(/[<>]/g, ''));
    const decoded = cte === 'quoted-printable' ? decodeQp(body) : cte === 'base64' ? (type.startsWith('text/') ? Buffer.from(body, 'base64').toString('utf8') : '') : body;
    if (type.startsWith('text/plain') && !cid) out.text += decoded;
    else if (type.startsWith('text/html')) out.html += decoded;
  };
  walk(raw, true);
  return out;
}
