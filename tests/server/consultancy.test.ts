import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant, login, staffHeaders, TEST_PASSWORD, type StaffSession, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

// Smallest valid-looking images: the magic bytes are what counts.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-rest-of-png')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF-rest-of-jpeg')]);

describe(`consultancy branding (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let consultantA: StaffSession;
  let consultantB: StaffSession;
  let hrA: StaffSession;

  beforeAll(async () => {
    t = await setupTestApp();
    a = await createTenant(t.db, { label: 'brand-a' });
    b = await createTenant(t.db, { label: 'brand-b' });
    consultantA = await login(t.app, a.consultant.email, TEST_PASSWORD);
    consultantB = await login(t.app, b.consultant.email, TEST_PASSWORD);
    hrA = await login(t.app, a.hr.email, TEST_PASSWORD);
  });
  afterAll(async () => t?.close());

  const put = (s: StaffSession, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PUT', url: '/api/v1/consultancy/branding', headers: staffHeaders(s), payload });
  const stored = () => t.db.selectFrom('consultancies').select(['name', 'accent_color', 'logo', 'logo_mime']).where('id', '=', a.consultancyId).executeTakeFirstOrThrow();

  it('shows the default branding', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/consultancy/branding', headers: staffHeaders(consultantA) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ consultancyId: a.consultancyId, name: 'Adviesbureau brand-a', accentColor: '#1f5f7a', logo: null });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/consultancy/branding/logo', headers: staffHeaders(consultantA) })).statusCode).toBe(404);
  });

  it('stores name, colour and a PNG logo, and serves the logo back byte for byte', async () => {
    const res = await put(consultantA, { name: 'Adviesbureau Groei', accentColor: '#AA3300', logo: PNG.toString('base64') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      consultancyId: a.consultancyId,
      name: 'Adviesbureau Groei',
      accentColor: '#aa3300',
      logo: { contentType: 'image/png', bytes: PNG.length, url: `/api/v1/consultancy/branding/logo?consultancyId=${a.consultancyId}` },
    });
    const row = await stored();
    expect(row.accent_color).toBe('#aa3300');
    expect(row.logo_mime).toBe('image/png');
    expect(Buffer.from(row.logo!).equals(PNG)).toBe(true);
    const logo = await t.app.inject({ method: 'GET', url: '/api/v1/consultancy/branding/logo', headers: staffHeaders(consultantA) });
    expect(logo.statusCode).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.rawPayload.equals(PNG)).toBe(true);
  });

  it('keeps the logo when it is left out, replaces it with a JPEG data URL, and removes it with null', async () => {
    expect((await put(consultantA, { name: 'Adviesbureau Groei', accentColor: '#123456' })).json().logo.contentType).toBe('image/png');
    const jpeg = await put(consultantA, { name: 'Adviesbureau Groei', accentColor: '#123456', logo: `data:image/jpeg;base64,${JPEG.toString('base64')}` });
    expect(jpeg.json().logo).toMatchObject({ contentType: 'image/jpeg', bytes: JPEG.length });
    const removed = await put(consultantA, { name: 'Adviesbureau Groei', accentColor: '#123456', logo: null });
    expect(removed.json().logo).toBeNull();
    expect((await stored()).logo).toBeNull();
  });

  it('rejects a logo that is not PNG/JPEG, over 1 MiB or not base64, and a bad colour; nothing changes', async () => {
    await put(consultantA, { name: 'Vast', accentColor: '#000000', logo: PNG.toString('base64') });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ logo: Buffer.from('GIF89a-not-allowed').toString('base64') }, 'body.logo'],
      [{ logo: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64') }, 'body.logo'],
      [{ logo: Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]).toString('base64') }, 'body.logo'],
      [{ logo: '!!!not base64!!!' }, 'body.logo'],
      [{ accentColor: 'red' }, 'body.accentColor'],
      [{ accentColor: '#12345' }, 'body.accentColor'],
    ];
    for (const [change, path] of cases) {
      const res = await put(consultantA, { name: 'Veranderd', accentColor: '#ffffff', ...change });
      expect(res.statusCode, path).toBe(400);
      expect(res.json().errors[0].path).toBe(path);
    }
    const row = await stored();
    expect(row).toMatchObject({ name: 'Vast', accent_color: '#000000', logo_mime: 'image/png' });
  });

  it('accepts exactly 1 MiB', async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(1024 * 1024 - JPEG.length)]);
    const res = await put(consultantA, { name: 'Vast', accentColor: '#000000', logo: big.toString('base64') });
    expect(res.statusCode).toBe(200);
    expect(res.json().logo.bytes).toBe(1024 * 1024);
  });

  it('is for consultants of the account only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/consultancy/branding', headers: staffHeaders(hrA) })).statusCode).toBe(403);
    expect((await put(hrA, { name: 'HR', accentColor: '#000000' })).statusCode).toBe(403);
    const other = await t.app.inject({ method: 'GET', url: `/api/v1/consultancy/branding?consultancyId=${a.consultancyId}`, headers: staffHeaders(consultantB) });
    expect(other.statusCode).toBe(404);
    const otherLogo = await t.app.inject({ method: 'GET', url: `/api/v1/consultancy/branding/logo?consultancyId=${a.consultancyId}`, headers: staffHeaders(consultantB) });
    expect(otherLogo.statusCode).toBe(404);
    const own = await t.app.inject({ method: 'GET', url: '/api/v1/consultancy/branding', headers: staffHeaders(consultantB) });
    expect(own.json().consultancyId).toBe(b.consultancyId);
    const orgToken = await createApiTokenFor(t.db, { organisationId: a.organisationId });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/consultancy/branding', headers: bearer(orgToken) })).statusCode).toBe(403);
  });

  it('lists and adds consultants of the account', async () => {
    const add = await t.app.inject({
      method: 'POST', url: '/api/v1/consultancy/consultants', headers: staffHeaders(consultantA),
      payload: { email: 'collega@example.nl', name: 'Collega', password: 'collega-wachtwoord' },
    });
    expect(add.statusCode).toBe(201);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/consultancy/consultants', headers: staffHeaders(consultantA) });
    expect(list.json().consultants.map((c: { email: string }) => c.email).sort()).toEqual(['collega@example.nl', a.consultant.email].sort());
    const s = await login(t.app, 'collega@example.nl', 'collega-wachtwoord');
    const orgs = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: staffHeaders(s) });
    expect(orgs.json().organisations.map((o: { id: string }) => o.id)).toEqual([a.organisationId]);
    const byHr = await t.app.inject({ method: 'POST', url: '/api/v1/consultancy/consultants', headers: staffHeaders(hrA), payload: { email: 'x@example.nl', name: 'X', password: 'x-wachtwoord-lang' } });
    expect(byHr.statusCode).toBe(403);
  });
});
