// The culture-scan@2 questionnaire in headless Chromium, at laptop (1366x900) and phone (390x844)
// sizes: every respondent page (a statements page, the plain dialogue-model page, the background
// page) has no serious or critical axe-core violation, the dialogue page is answered by tapping
// labels (no numbers), and the point appears in the picture. Screenshots go to /tmp/lcs-plain-*.png.
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { login, staffHeaders } from '../helpers/auth.js';
import { personalLinks } from '../helpers/rounds.js';
import { hasChromium, LAPTOP, newContext, PHONE, screenshot, seriousA11yViolations, watchConsole, useWebServerAndBrowser } from './helpers.js';

describe.skipIf(!hasChromium)('culture-scan@2 respondent pages in Chromium', () => {
  const web = useWebServerAndBrowser();

  async function personalLink(): Promise<string> {
    const hr = DEMO_LOGINS.find((l) => l.role === 'hr')!.email;
    const s = await login(web.server.app, hr, DEMO_PASSWORD);
    const orgId = web.server.demo!.organisationId;
    const round = await web.server.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${orgId}/rounds`,
      headers: staffHeaders(s),
      payload: { name: `Plain ${Date.now()}`, instrumentId: 'culture-scan@2', modules: ['culture_scan', 'dialogue_model'], employeePlacements: true, languages: ['nl', 'en'], departments: ['Zorg', 'Techniek'], anonymityThreshold: 5 },
    });
    expect(round.statusCode, round.body).toBe(201);
    const roundId = round.json().id as string;
    await web.server.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/open`, headers: staffHeaders(s) });
    // The mail-merge route: this test opens the questionnaire itself, so the round sends its own links.
    const links = await personalLinks(web.server.app, staffHeaders(s), roundId, 'email\nplain@example.nl\n');
    return `${web.server.url}/s/${links.get('plain@example.nl')!}`;
  }

  for (const [name, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    it(`has no serious accessibility violations and no coordinates (${name})`, async () => {
      const link = await personalLink();
      const context = await newContext(web.browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await page.goto(link);
      await Promise.all([page.waitForURL('**/survey/self_direction'), page.click('button[value="next"]')]);
      expect(await page.locator('h1.survey-title').innerText()).toBe('Over uw eigen ontwikkeling');
      expect(await page.locator('.survey-form p.lead').count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `plain-mechanism-${name}`);

      await page.goto(`${web.server.url}/survey/leadership`);
      expect(await page.locator('h1.survey-title').innerText()).toBe('Over uw leidinggevende');

      await page.goto(`${web.server.url}/survey/placements`);
      expect(await page.locator('input[type=number]').count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      // Answer "now" by tapping the visible labels; the page saves in the background (autosave).
      await page.locator('label.choice:has(input[name="p.current.x"][value="-25"])').click();
      await page.locator('label.choice:has(input[name="p.current.y"][value="-75"])').click();
      await page.locator('label.choice:has(input[name="p.desired.x"][value="75"])').click();
      await page.locator('label.choice:has(input[name="p.desired.y"][value="75"])').click();
      await Promise.all([page.waitForURL('**/survey/background'), page.click('button[value="next"]')]);
      await page.goto(`${web.server.url}/survey/placements`);
      // The two saved answers are drawn: "now" top left (reactive, organisation), "wish" bottom right.
      expect(await page.locator('#survey-quadrant .marker-own').count()).toBe(2);
      const now = await page.locator('#survey-quadrant .marker-own[data-frame="current"]').getAttribute('transform');
      const wish = await page.locator('#survey-quadrant .marker-own[data-frame="desired"]').getAttribute('transform');
      const [nx, ny] = /translate\(([\d.]+) ([\d.]+)\)/.exec(now!)!.slice(1).map(Number);
      const [wx, wy] = /translate\(([\d.]+) ([\d.]+)\)/.exec(wish!)!.slice(1).map(Number);
      expect(nx!).toBeLessThan(200);
      expect(ny!).toBeLessThan(200);
      expect(wx!).toBeGreaterThan(200);
      expect(wy!).toBeGreaterThan(200);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `plain-placements-${name}`);

      await page.goto(`${web.server.url}/survey/background`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `plain-background-${name}`);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
