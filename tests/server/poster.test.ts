// The A4 poster of a shared link (issue 14 item 5): who may make it, for which links, and what it
// prints: read back with pdftotext, and the QR code read back from the rendered page (pdftoppm) module
// by module and compared with the symbol the qrcode package encodes for the link.
import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { createOpenRound, createRound, sharedLink, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';
import { pdfPageCount, pdfPagePng, pdfText } from '../fixtures/pdf.js';

const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

let t: TestApp;
let a: TenantWithSessions;
let b: TenantWithSessions;

const PUBLIC_URL = 'https://scan.example.nl';
const CLOSES = '2026-12-18T16:00:00.000Z'; // 17:00 in Amsterdam

beforeAll(async () => {
  t = await setupTestApp({ PUBLIC_URL });
  a = await tenantWithSessions(t.db);
  b = await tenantWithSessions(t.db);
  await t.db.updateTable('consultancies').set({ name: 'Adviesbureau Noord', accent_color: '#7a1f5f' }).where('id', '=', a.consultancyId).execute();
});
afterAll(async () => t?.close());

const poster = (roundId: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/invitations/shared/poster`, headers, payload });

/** The dark modules of the QR code as printed: the bounding box of pure-black pixels is the symbol. */
function printedQr(png: Buffer, size: number): boolean[] {
  const img = PNG.sync.read(png);
  const black = (x: number, y: number) => {
    const i = (y * img.width + x) * 4;
    return img.data[i]! < 40 && img.data[i + 1]! < 40 && img.data[i + 2]! < 40;
  };
  let minX = img.width, minY = img.height, maxX = -1, maxY = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (!black(x, y)) continue;
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
  }
  const w = (maxX - minX + 1) / size;
  const h = (maxY - minY + 1) / size;
  expect(Math.abs(w - h)).toBeLessThan(0.5); // square
  expect(w).toBeGreaterThan(4); // each module several pixels wide: sampling the centre is safe
  const out: boolean[] = [];
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) out.push(black(Math.floor(minX + (c + 0.5) * w), Math.floor(minY + (r + 0.5) * h)));
  return out;
}

describe(`shared-link poster (${driverName})`, () => {
  it('prints the link, the closing date, the anonymity promise and the branding; the QR code holds the link', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { closesAt: CLOSES, anonymityThreshold: 7 });
    const { token } = await sharedLink(t.app, a.as.hr, round.id);
    const link = `${PUBLIC_URL}/s/${token}`;
    const res = await poster(round.id, a.as.hr, { link });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('poster-medewerkers-nl.pdf');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const pdf = res.rawPayload;
    expect(pdfPageCount(pdf)).toBe(1);
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain(link);
    expect(text).toContain('Meedoen kan tot 18 december 2026 om 17:00.');
    expect(text).toContain('Je antwoorden zijn anoniem');
    expect(text).toContain('We vragen niet naar je naam of je e-mailadres.');
    expect(text).toContain('minstens 7 mensen');
    expect(text).toContain('Adviesbureau Noord');
    expect(text).toContain('Scan de code met de camera van je telefoon.');

    const png = pdfPagePng(pdf, 1, 100);
    const expected = QRCode.create(link, { errorCorrectionLevel: 'M' }).modules;
    const printed = printedQr(png, expected.size);
    const wanted = Array.from(expected.data, (v) => v === 1);
    expect(printed.filter((v, i) => v !== wanted[i]).length).toBe(0);
    // A different link gives a different symbol: the comparison can fail.
    const other = Array.from(QRCode.create(`${PUBLIC_URL}/s/${'x'.repeat(43)}`, { errorCorrectionLevel: 'M' }).modules.data, (v) => v === 1);
    expect(printed.filter((v, i) => v !== other[i]).length).toBeGreaterThan(50);

    // The consultancy's accent colour fills the band at the top of the page.
    const img = PNG.sync.read(png);
    const at = (x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));
    expect(at(img.width - 5, 5)).toEqual([0x7a, 0x1f, 0x5f]);
  });

  it('makes an English poster of an English-language round whose link opens the questionnaire in English', async () => {
    const round = await createOpenRound(t.app, a.as.consultant, a.organisationId, { languages: ['nl', 'en'] });
    const res0 = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/shared`, headers: a.as.hr, payload: { form: 'management' } });
    const { link } = res0.json() as { link: string };
    const res = await poster(round.id, a.as.consultant, { link, lang: 'en' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('poster-management-hr-en.pdf');
    const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
    expect(text).toContain(`${link}?lang=en`);
    expect(text).toContain('How does our organisation learn?');
    expect(text).toContain('for HR and managers');
    expect(text).toContain('You can take part now.');
    expect(text).toContain('Your answers are anonymous');
    const expected = QRCode.create(`${link}?lang=en`, { errorCorrectionLevel: 'M' }).modules;
    const printed = printedQr(pdfPagePng(res.rawPayload, 1, 100), expected.size);
    expect(printed.filter((v, i) => v !== (expected.data[i] === 1)).length).toBe(0);
  });

  it('refuses a language the round is not in, naming the field', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const { token } = await sharedLink(t.app, a.as.hr, round.id);
    const res = await poster(round.id, a.as.hr, { link: token, lang: 'en' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.json().errors)).toContain('lang');
    const bad = await poster(round.id, a.as.hr, { link: token, lang: 'de' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().errors)).toContain('lang');
  });

  it('only for a live shared link of this round, and only for HR and consultants of its organisation', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const { token, id } = await sharedLink(t.app, a.as.hr, round.id);
    // Director: may read results, not make invitations.
    expect((await poster(round.id, a.as.director, { link: token })).statusCode).toBe(403);
    // Another tenant's HR: the round does not exist for them.
    expect((await poster(round.id, b.as.hr, { link: token })).statusCode).toBe(404);
    // A link of another round, or no link at all.
    const other = await createOpenRound(t.app, a.as.hr, a.organisationId);
    expect((await poster(other.id, a.as.hr, { link: token })).statusCode).toBe(404);
    expect((await poster(round.id, a.as.hr, { link: `${PUBLIC_URL}/s/${'A'.repeat(43)}` })).statusCode).toBe(404);
    // Withdrawn: no poster for a dead link.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/${id}/revoke`, headers: a.as.hr })).statusCode).toBe(200);
    const revoked = await poster(round.id, a.as.hr, { link: token });
    expect(revoked.statusCode).toBe(409);
    expect(revoked.json().code).toBe('link_revoked');
    // A closed round.
    const draft = await createRound(t.app, a.as.hr, a.organisationId);
    const s2 = await sharedLink(t.app, a.as.hr, draft.id);
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${draft.id}/open`, headers: a.as.hr });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${draft.id}/close`, headers: a.as.hr })).statusCode).toBe(200);
    const closed = await poster(draft.id, a.as.hr, { link: s2.token });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('round_closed');
  });

  it('the round page offers a poster per language next to the new link, and the form returns the PDF', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { languages: ['nl', 'en'] });
    const csrf = a.as.hr['x-csrf-token']!;
    const form = { cookie: a.as.hr.cookie!, 'content-type': 'application/x-www-form-urlencoded' };
    // Creating the link redirects (POST-redirect-GET); the round page after it shows the new link once.
    const created = await t.app.inject({ method: 'POST', url: `/app/rounds/${round.id}/shared-link`, headers: form, payload: new URLSearchParams({ _csrf: csrf, form: 'employee' }).toString() });
    expect(created.statusCode).toBe(303);
    const flash = String(created.headers['set-cookie'] ?? '').split(';')[0]!;
    const page = await t.app.inject({ method: 'GET', url: String(created.headers.location), headers: { cookie: `${a.as.hr.cookie!}; ${flash}` } });
    expect(page.statusCode).toBe(200);
    const link = /id="shared-link" type="text" readonly value="([^"]+)"/.exec(page.body)![1]!;
    const posters = /data-testid="poster-links"[\s\S]*?<\/div><\/div>/.exec(page.body)![0];
    expect(posters.match(/action="\/app\/rounds\/[^"]+\/shared-link\/poster"/g)).toHaveLength(2);
    expect(posters).toContain('name="lang" value="nl"');
    expect(posters).toContain('name="lang" value="en"');
    const pdf = await t.app.inject({ method: 'POST', url: `/app/rounds/${round.id}/shared-link/poster`, headers: form, payload: new URLSearchParams({ _csrf: csrf, link, lang: 'en' }).toString() });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('poster-employees-en.pdf');
    expect(pdfText(pdf.rawPayload)).toContain(`${link}?lang=en`);
    // The page validates its path parameters: a round id that is not a UUID is not found.
    const badId = await t.app.inject({ method: 'POST', url: '/app/rounds/not-a-round/shared-link/poster', headers: form, payload: new URLSearchParams({ _csrf: csrf, link, lang: 'en' }).toString() });
    expect(badId.statusCode).toBe(404);
    // Without the form's CSRF field the page refuses.
    const noCsrf = await t.app.inject({ method: 'POST', url: `/app/rounds/${round.id}/shared-link/poster`, headers: form, payload: new URLSearchParams({ link, lang: 'en' }).toString() });
    expect(noCsrf.statusCode).toBe(403);
  });
});
