// Issue 18 item 6 (jargon, web): the dashboard's sources name the pool in plain words with the actual
// threshold ("minstens 5 medewerkers", not "minstens k"; not "Leercultuurscan platform pool"), and an
// uploaded benchmark set's n is the n from the upload (or says that the file gave none), never "-".
import { describe, expect, it } from 'vitest';
import type { ResultModel } from '../../scans/result-model.js';
import { translator } from '../../server/web/i18n.js';
import { dashboard } from '../../server/web/views/dashboard.js';
import { fixtureResultModel } from '../fixtures/result-model.js';

const SET = '7a1c1e35-2a44-4d7e-9b5f-0b3a4d1c2e11';
const EMPTY_SET = '2b9f4c6d-8e1a-4f3b-a2c5-d7e8f9a0b1c2';

function withUploads(model: ResultModel): ResultModel {
  const m = structuredClone(model);
  const custom = (sourceId: string, name: string, n: number | null, value: number) => ({
    kind: 'custom' as const,
    sourceId,
    label: { nl: name, en: name },
    metric: 'mean' as const,
    value,
    own: null,
    delta: null,
    source: `${name} (eigen onderzoek)`,
    year: 2025,
    population: null,
    n,
    figureId: null,
  });
  m.mechanisms[0]!.benchmarks.push(custom(`custom:${SET}`, 'Branchemeting zorg', 120, 3.4));
  m.mechanisms[1]!.benchmarks.push(custom(`custom:${SET}`, 'Branchemeting zorg', 450, 3.6));
  m.mechanisms[0]!.benchmarks.push(custom(`custom:${EMPTY_SET}`, 'Oude meting', null, 3.1));
  m.benchmarkSources.push(
    { id: `custom:${SET}`, kind: 'custom', label: { nl: 'Branchemeting zorg', en: 'Branchemeting zorg' }, source: 'Branchemeting zorg (eigen onderzoek)', year: 2025, dataYear: null, population: null, n: null },
    { id: `custom:${EMPTY_SET}`, kind: 'custom', label: { nl: 'Oude meting', en: 'Oude meting' }, source: 'Oude meting (eigen onderzoek)', year: 2025, dataYear: null, population: null, n: null },
  );
  return m;
}

const render = (lang: 'nl' | 'en') =>
  String(dashboard({ model: withUploads(fixtureResultModel()), lang, t: translator(lang), accent: null, reportsAvailable: true, roundUrl: '/app/rounds/x' }));

function sources(page: string): string {
  const start = page.indexOf('id="sources"');
  expect(start).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start));
}

describe('dashboard sources in plain words', () => {
  it('Dutch: the pool with the actual threshold and the number of organisations; the upload with its n', () => {
    const page = render('nl');
    const s = sources(page);
    expect(page).not.toContain('minstens k ');
    expect(page).not.toContain('platform pool');
    expect(page).not.toContain('Leercultuurscan-pool');
    expect(s).toContain('Andere organisaties die de Leercultuurscan gebruiken (2026)');
    expect(s).toContain('als minstens 5 medewerkers (of de hogere drempel van die meting) de vragenlijst invulden');
    expect(s).toContain('23 organisaties');
    expect(s).toContain('Branchemeting zorg (eigen onderzoek) (2025) · n = 120–450 respondenten (uit het bestand)');
    expect(s).toContain('Oude meting (eigen onderzoek) (2025) · aantal respondenten niet opgegeven in het bestand');
    expect(s).not.toMatch(/n = [-–]/);
  });

  it('an uploaded source that carries its n (all its values give the same n) prints that n in the same words', () => {
    const model = fixtureResultModel();
    model.benchmarkSources.push({ id: `custom:${SET}`, kind: 'custom', label: { nl: 'Eigen set', en: 'Eigen set' }, source: 'Eigen set (eigen onderzoek)', year: 2025, dataYear: null, population: null, n: 300 });
    const page = (lang: 'nl' | 'en') => sources(String(dashboard({ model, lang, t: translator(lang), accent: null, reportsAvailable: true, roundUrl: '/app/rounds/x' })));
    expect(page('nl')).toContain('Eigen set (eigen onderzoek) (2025) · n = 300 respondenten (uit het bestand)');
    expect(page('en')).toContain('Eigen set (eigen onderzoek) (2025) · n = 300 respondents (from the file)');
  });

  it('English: the same in English', () => {
    const s = sources(render('en'));
    expect(s).toContain('Other organisations using the Leercultuurscan (2026)');
    expect(s).toContain('when at least 5 employees');
    expect(s).toContain('23 organisations');
    expect(s).toContain('n = 120–450 respondents (from the file)');
    expect(s).toContain('number of respondents not given in the file');
    expect(s).not.toContain('at least k ');
  });
});
