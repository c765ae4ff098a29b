// Issue 18 item 6 (respondent defects) in Chromium:
// - a respondent who returns after the last statement continues at the factors page, then at the
//   dialogue-model and background pages they have not been through, not straight at the review page;
//   saved answers stay;
// - without JavaScript, the dialogue-model page still places the points (plain choices) and the
//   questionnaire can be submitted; the staff dialogue page hides its click-only frame picker and
//   saves points typed as numbers.
// axe (serious/critical) on the pages touched, at 1366x900 and 390x844. Screenshots: /tmp/lcs-resume-*.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { login, staffHeaders } from '../helpers/auth.js';
import { personalLinks } from '../helpers/rounds.js';
import { hasChromium, LAPTOP, PHONE, screenshot, seriousA11yViolations, signIn, useWebServerAndBrowser, watchConsole } from './helpers.js';
import { layoutProblems } from './layout-checks.js';

const email = (role: 'consultant' | 'hr' | 'director') => DEMO_LOGINS.find((l) => l.role === role)!.email;

describe.skipIf(!hasChromium)('resuming and answering without JavaScript', () => {
  const web = useWebServerAndBrowser();

  async function openRound(name: string): Promise<{ roundId: string; link: (address: string) => Promise<string> }> {
    const s = await login(web.server.app, email('hr'), DEMO_PASSWORD);
    const round = await web.server.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${web.server.demo!.organisationId}/rounds`,
      headers: staffHeaders(s),
      payload: { name, modules: ['culture_scan', 'dialogue_model', 'factors'], employeePlacements: true, languages: ['nl', 'en'], departments: ['Zorg', 'Techniek'], anonymityThreshold: 5 },
    });
    expect(round.statusCode, round.body).toBe(201);
    const roundId = round.json().id as string;
    await web.server.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/open`, headers: staffHeaders(s) });
    return {
      roundId,
      link: async (address) => `${web.server.url}/s/${(await personalLinks(web.server.app, staffHeaders(s), roundId, `email\n${address}\n`)).get(address)!}`,
    };
  }

  /** Answers every statement page by tapping the middle answer of each question, page by page. */
  async function answerStatements(page: Page): Promise<void> {
    for (let i = 0; i < 20 && /\/survey\/(?!factors|placements|background|review)[a-z_]+$/.test(new URL(page.url()).pathname); i++) {
      for (const q of await page.locator('fieldset.question').all()) await q.locator('label.choice:has(input[value="3"])').click();
      const from = new URL(page.url()).pathname;
      await Promise.all([page.waitForURL((u) => u.pathname !== from), page.click('button[value="next"]')]);
    }
  }

  const path = (page: Page) => new URL(page.url()).pathname;

  it('resumes at the first page not yet gone through after the last statement, keeping the answers', async () => {
    const { roundId, link } = await openRound(`Hervatten ${Date.now()}`);
    const url = await link('hervat@example.nl');
    const context = await web.browser.newContext({ viewport: LAPTOP, locale: 'nl-NL' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(url);
    await Promise.all([page.waitForURL('**/survey/self_direction'), page.click('button[value="next"]')]);
    await answerStatements(page);
    // After the last statement page the questionnaire shows the factors; the respondent leaves here.
    expect(path(page)).toBe('/survey/factors');
    await page.goto(`${web.server.url}/survey`);
    expect(path(page)).toBe('/survey/factors');
    // Skips the factors without answering: a return now continues at the dialogue model.
    await Promise.all([page.waitForURL('**/survey/placements'), page.click('button[value="next"]')]);
    await page.goto(`${web.server.url}/survey`);
    expect(path(page)).toBe('/survey/placements');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.locator('label.choice:has(input[name="p.current.x"][value="-25"])').click();
    await page.locator('label.choice:has(input[name="p.current.y"][value="-75"])').click();
    await Promise.all([page.waitForURL('**/survey/background'), page.click('button[value="next"]')]);
    await page.goto(`${web.server.url}/survey`);
    expect(path(page)).toBe('/survey/background');
    await Promise.all([page.waitForURL('**/survey/review'), page.click('button[value="next"]')]);
    await page.goto(`${web.server.url}/survey`);
    expect(path(page)).toBe('/survey/review');
    // Nothing saved was lost on the way.
    const rows = await web.server.db.selectFrom('responses').selectAll().where('round_id', '=', roundId).execute();
    expect(rows).toHaveLength(1);
    const points = await web.server.db.selectFrom('placements').select(['frame', 'x', 'y']).where('round_id', '=', roundId).execute();
    expect(points).toEqual([{ frame: 'current', x: -25, y: -75 }]);
    const answers = await web.server.db.selectFrom('answers').select('item_id').where('response_id', '=', rows[0]!.id).execute();
    expect(answers.length).toBeGreaterThan(20);
    expect(await page.locator('p.lead').textContent()).toMatch(/(\d+) van de \1/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'resume-review-laptop');

    // Another device with the same link, which went through nothing: it resumes at the factors
    // (nothing saved there), then passes the dialogue-model page, which has a saved point.
    const other = await web.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'nl-NL' });
    const phone = await other.newPage();
    await phone.goto(url);
    await phone.goto(`${web.server.url}/survey`);
    expect(path(phone)).toBe('/survey/factors');
    expect(await seriousA11yViolations(phone)).toEqual([]);
    expect(await layoutProblems(phone)).toEqual([]);
    await Promise.all([phone.waitForURL('**/survey/placements'), phone.click('button[value="next"]')]);
    await phone.goto(`${web.server.url}/survey`);
    expect(path(phone)).toBe('/survey/background');
    await screenshot(phone, 'resume-background-phone');
    await other.close();
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    it(`without JavaScript a respondent places the points and submits (${label})`, async () => {
      const { roundId, link } = await openRound(`Zonder JS ${label} ${Date.now()}`);
      const url = await link(`nojs-${label}@example.nl`);
      const context = await web.browser.newContext({ viewport, javaScriptEnabled: false, locale: 'nl-NL', isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
      const page = await context.newPage();
      await page.goto(url);
      await Promise.all([page.waitForURL('**/survey/self_direction'), page.click('button[value="next"]')]);
      await answerStatements(page);
      expect(path(page)).toBe('/survey/factors');
      await Promise.all([page.waitForURL('**/survey/placements'), page.click('button[value="next"]')]);
      // Plain choices per axis and moment, no script needed: tap the labels and go on.
      expect(await page.locator('input[type=number]').count()).toBe(0);
      await page.locator('label.choice:has(input[name="p.current.x"][value="-75"])').click();
      await page.locator('label.choice:has(input[name="p.current.y"][value="-25"])').click();
      await page.locator('label.choice:has(input[name="p.desired.x"][value="75"])').click();
      await page.locator('label.choice:has(input[name="p.desired.y"][value="75"])').click();
      await screenshot(page, `resume-nojs-placements-${label}`);
      await Promise.all([page.waitForURL('**/survey/background'), page.click('button[value="next"]')]);
      // Back on the page (server-rendered), both points are drawn in the picture.
      await page.goto(`${web.server.url}/survey/placements`);
      expect(await page.locator('#survey-quadrant .marker-own').count()).toBe(2);
      await page.goto(`${web.server.url}/survey/review`);
      await Promise.all([page.waitForLoadState('load'), page.click('button[value="submit"]')]);
      expect(await page.locator('h1').first().textContent()).toContain('Hartelijk dank');
      const rows = await web.server.db.selectFrom('responses').selectAll().where('round_id', '=', roundId).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('submitted');
      const points = await web.server.db.selectFrom('placements').select(['frame', 'x', 'y']).where('round_id', '=', roundId).orderBy('frame').execute();
      expect(points).toEqual([
        { frame: 'current', x: -75, y: -25 },
        { frame: 'desired', x: 75, y: 75 },
      ]);
      await context.close();
    }, 180_000);
  }

  for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    it(`without JavaScript the director's dialogue page has no dead picker and saves typed points (${label})`, async () => {
      const { roundId } = await openRound(`Dialoog zonder JS ${label} ${Date.now()}`);
      const context = await web.browser.newContext({ viewport, javaScriptEnabled: false, locale: 'nl-NL', isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await signIn(page, web.server.url, email('director'), DEMO_PASSWORD);
      await page.goto(`${web.server.url}/app/rounds/${roundId}/dialogue`);
      // The click-to-place frame choice only works with the script: not shown without it.
      expect(await page.locator('[data-frame-picker]').isVisible()).toBe(false);
      expect(await page.locator('.nojs-hint').isVisible()).toBe(true);
      await page.fill('#dp-current-x', '-40');
      await page.fill('#dp-current-y', '-20');
      await page.fill('#dp-desired-x', '50');
      await page.fill('#dp-desired-y', '60');
      await Promise.all([page.waitForURL(/saved=1/), page.click('form[action$="/dialogue"] button[type=submit]')]);
      expect(await page.locator('#director-quadrant .marker-own[data-frame="current"]').getAttribute('visibility')).toBeNull();
      await screenshot(page, `resume-nojs-dialogue-${label}`);
      await context.close();
      // With the script, the frame choice is there (and the page passes axe and the layout check).
      const js = await web.browser.newContext({ viewport, locale: 'nl-NL', isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
      const jsPage = await js.newPage();
      await signIn(jsPage, web.server.url, email('director'), DEMO_PASSWORD);
      await jsPage.goto(`${web.server.url}/app/rounds/${roundId}/dialogue`);
      expect(await jsPage.locator('[data-frame-picker]').isVisible()).toBe(true);
      expect(await jsPage.locator('.nojs-hint').isVisible()).toBe(false);
      expect(await seriousA11yViolations(jsPage)).toEqual([]);
      expect(await layoutProblems(jsPage)).toEqual([]);
      await js.close();
      const rows = await web.server.db.selectFrom('placements').select(['participant_group', 'frame', 'x', 'y']).where('round_id', '=', roundId).orderBy('frame').execute();
      expect(rows).toEqual([
        { participant_group: 'director', frame: 'current', x: -40, y: -20 },
        { participant_group: 'director', frame: 'desired', x: 50, y: 60 },
      ]);
    }, 120_000);
  }
});
