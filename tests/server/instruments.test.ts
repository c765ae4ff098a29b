import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverName } from '../helpers/database.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';

describe(`instruments API (${driverName})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await setupTestApp();
  });
  afterAll(async () => t.close());

  it('lists the instruments without signing in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/instruments' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.instruments.map((i: { id: string }) => i.id)).toEqual(['culture-scan@1', 'culture-scan@2', 'sme-checklist@1', 'dialogue-model@1', 'factors@1']);
    expect(body.instruments[0]).toMatchObject({
      id: 'culture-scan@1',
      module: 'culture_scan',
      version: 1,
      itemCount: 42,
      // Issue 17: new rounds default to version 2; version 1 stays registered for its rounds.
      current: false,
      name: { nl: 'Leercultuurscan', en: 'Learning culture scan' },
    });
    expect(body.instruments[1]).toMatchObject({ id: 'culture-scan@2', module: 'culture_scan', version: 2, itemCount: 45, current: true });
  });

  it('returns the culture scan with items in both languages on both forms, reverse keys and benchmark mappings', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/instruments/culture-scan@1' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.module).toBe('culture_scan');
    expect(body.current).toBe(false); // issue 17: culture-scan@2 is the default for new rounds
    expect(body.scales).toHaveLength(7);
    const items = body.scales.flatMap((s: { items: unknown[] }) => s.items);
    expect(items).toHaveLength(42);
    const wc2 = items.find((i: { id: string }) => i.id === 'wc2');
    expect(wc2.text.employee.nl).toMatch(/^Ik /);
    expect(wc2.text.management.en).toMatch(/^Our employees/);
    expect(wc2.reverse).toBe(false);
    expect(wc2.publishedFigureIds).toEqual({ employee: 'tno_ser2023_autonomy_employees', management: 'tno_ser2023_autonomy_employers' });
    expect(items.find((i: { id: string }) => i.id === 'rs5').reverse).toBe(true);
    expect(body.scales[0].advice.low.nl.length).toBeGreaterThan(50);
    // The referenced figures come along, with source, year and population.
    const figures = Object.fromEntries(body.publishedFigures.map((f: { id: string; value: number }) => [f.id, f]));
    expect(Object.keys(figures).sort()).toEqual([
      'tno_ser2023_autonomy_employees',
      'tno_ser2023_autonomy_employers',
      'tno_ser2023_manager_support_employees',
      'tno_ser2023_variety_employees',
    ]);
    expect(figures.tno_ser2023_autonomy_employers).toMatchObject({ value: 31, year: 2023, kind: 'employer' });
    // The source gives no data year for the employer figure.
    expect(figures.tno_ser2023_autonomy_employers.dataYear).toBeUndefined();
    expect(figures.tno_ser2023_autonomy_employers.population.nl).toBe('Werkgevers in Nederland');
  });

  it('returns the checklist with its ten published shares, and accepts an encoded id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/instruments/sme-checklist%401' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.practices).toHaveLength(10);
    expect(body.publishedFigures).toHaveLength(10);
    expect(body.publishedFigures[0]).toMatchObject({ id: 'seor2021_training_plan', value: 23.7, year: 2021 });
  });

  it('returns the dialogue model and the factors', async () => {
    const dialogue = await t.app.inject({ method: 'GET', url: '/api/v1/instruments/dialogue-model@1' });
    expect(dialogue.statusCode).toBe(200);
    expect(dialogue.json().quadrants.map((q: { id: string }) => q.id)).toEqual(['defensive', 'offensive', 'curative', 'preventive']);
    const factors = await t.app.inject({ method: 'GET', url: '/api/v1/instruments/factors@1' });
    expect(factors.statusCode).toBe(200);
    expect(factors.json().groups).toHaveLength(4);
  });

  it('returns culture-scan@2 beside @1: 45 items, the same published figures, not the current one unless registered so', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/instruments/culture-scan@2' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: 'culture-scan@2', module: 'culture_scan', version: 2 });
    const items = body.scales.flatMap((s: { items: unknown[] }) => s.items);
    expect(items).toHaveLength(45);
    expect(items.map((i: { id: string }) => i.id)).toContain('ld9');
    expect(items.map((i: { id: string }) => i.id)).not.toContain('rs5');
    expect(body.publishedFigures.map((f: { id: string }) => f.id).sort()).toEqual([
      'tno_ser2023_autonomy_employees',
      'tno_ser2023_autonomy_employers',
      'tno_ser2023_manager_support_employees',
      'tno_ser2023_variety_employees',
    ]);
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/instruments/culture-scan@9' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('is in the OpenAPI document under the instruments tag', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.paths['/api/v1/instruments'].get.tags).toEqual(['instruments']);
    expect(doc.paths['/api/v1/instruments/{id}'].get.responses['404']).toBeDefined();
  });
});
