// The client report's action-plan chapter: the plan recorded in the workspace (what, starting point,
// owner, date, status, statements) instead of a blank table; the draft from the priorities only when
// nothing is recorded yet.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportAction } from '../../report-templates/components.js';
import { ReportRenderer, type RenderInput } from '../../server/reports/render.js';
import { fixtureResultModel } from '../fixtures/result-model.js';
import { pdfPagesText, squash } from '../fixtures/pdf.js';

const branding = { name: 'Bloei & Groei Adviseurs', accentColor: '#7a2e5c', logo: null, logoMime: null };
let renderer: ReportRenderer;
beforeAll(() => {
  renderer = new ReportRenderer();
});

const model = fixtureResultModel();
const mech = model.mechanisms[0]!;
const plan: ReportAction[] = [
  { title: 'Maandelijks werkoverleg over taakverdeling', source: 'priority', mechanismId: mech.mechanismId, owner: 'Teamleider zorg', dueDate: '2026-06-30', status: 'in_progress', itemIds: [mech.items[0]!.itemId], notes: 'Start in mei' },
  { title: 'Coaching voor leidinggevenden', source: 'mechanism', mechanismId: model.mechanisms[1]!.mechanismId, owner: 'HR', dueDate: null, status: 'planned', itemIds: [], notes: '' },
];
const input = (extra: Partial<RenderInput>): RenderInput => ({ type: 'client', lang: 'nl', model, branding, date: '2026-10-12T10:00:00.000Z', ...extra });

function planPage(pages: string[], heading: string): string {
  // The chapter page, not the contents entry: the last page whose text has the heading.
  const hits = pages.filter((p) => p.includes(heading));
  expect(hits.length).toBeGreaterThan(0);
  return hits[hits.length - 1]!;
}

describe('client report action plan', () => {
  it('prints the recorded plan with status, owner, date and statements', async () => {
    const pages = pdfPagesText(await renderer.render(input({ actionPlan: plan }))).map(squash);
    const page = planPage(pages, 'Actieplan');
    expect(page).toContain('Maandelijks werkoverleg over taakverdeling');
    expect(page).toContain('Teamleider zorg');
    expect(page).toContain('Bezig');
    expect(page).toContain('Gepland');
    // The shared date format (report-templates/format.ts fmtDate): months in full.
    expect(page).toContain('30 juni 2026');
    expect(page).toContain(squash(mech.name.nl));
    expect(page).toContain('prioriteit');
    expect(page).toContain(squash(mech.items[0]!.text.nl).slice(0, 30));
    expect(page).toContain('Start in mei');
    expect(page).not.toContain('Een eerste invulling uit de prioriteiten');
  });

  it('in English too', async () => {
    const pages = pdfPagesText(await renderer.render(input({ lang: 'en', actionPlan: plan }))).map(squash);
    const page = planPage(pages, 'Action plan');
    expect(page).toContain('In progress');
    expect(page).toContain('30 June 2026');
    expect(page).toContain(squash(mech.name.en));
  });

  it('without a recorded plan keeps the draft from the priorities', async () => {
    const pages = pdfPagesText(await renderer.render(input({}))).map(squash);
    expect(planPage(pages, 'Actieplan')).toContain('Een eerste invulling uit de prioriteiten');
  });
});
