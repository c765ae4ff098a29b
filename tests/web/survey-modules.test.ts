// The issue-17 respondent pages in headless Chromium at laptop and phone size: the motivation,
// how-you-learn and open-question pages and the background page with tenure and contract hours have
// no serious or critical axe-core violation; an open answer with markup or of 100 kB gets a clear
// message on the page (the text is kept); a plain answer is saved. Screenshots: /tmp/lcs-modules-*.png.
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { login, staffHeaders } from '../helpers/auth.js';
import { personalLinks } from '../helpers/rounds.js';
import { hasChromium, LAPTOP, newContext, PHONE, screenshot, seriousA11yViolations, watchConsole, useWebServerAndBrowser } from './helpers.js';

describe.skipIf(!hasChromium)('optional-module respondent pages in Chromium', () => {
  const web = useWebServerAndBrowser();

  async function personalLink(email: string): Promise<string> {
    const hr = DEMO_LOGINS.find((l) => l.role === 'hr')!.email;
    const s = await login(web.server.app, hr, DEMO_PASSWORD);
    const round = await web.server.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${web.server.demo!.organisationId}/rounds`,
      headers: staffHeaders(s),
      payload: { name: `Modules ${Date.now()}`, surveyModules: ['motivation', 'learning_mix', 'open_questions'], languages: ['nl', 'en'], departments: ['Zorg'] },
    });
    expect(round.statusCode, round.body).toBe(201);
    expect(round.json().instrumentId).toBe('culture-scan@2');
    const roundId = round.json().id as string;
    await web.server.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/open`, headers: staffHeaders(s) });
    const links = await personalLinks(web.server.app, staffHeaders(s), roundId, `email\n${email}\n`);
    return `${web.server.url}/s/${links.get(email)!}`;
  }

  for (const [name, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    it(`module and background pages pass axe, and bad open answers get a clear message (${name})`, async () => {
      const link = await personalLink(`modules-${name}@example.nl`);
      const context = await newContext(web.browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await page.goto(link);
      await Promise.all([page.waitForLoadState('load'), page.click('button[value="next"]')]);

      await page.goto(`${web.server.url}/survey/motivation`);
      expect(await page.locator('h1.survey-title').innerText()).toBe('Waarom u leert');
      expect(await page.locator('fieldset.question').count()).toBe(10);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.locator('label.choice:has(input[name="m.mo_aut1"][value="4"])').click();
      await screenshot(page, `modules-motivation-${name}`);
      await Promise.all([page.waitForURL('**/survey/learning_mix'), page.click('button[value="next"]')]);

      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.locator('label.choice:has(input[name="ml"][value="colleagues"])').click();
      await Promise.all([page.waitForURL('**/survey/open_questions'), page.click('button[value="next"]')]);

      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.fill('#open-helps', '<b>meer tijd</b>');
      await Promise.all([page.waitForLoadState('load'), page.click('button[value="next"]')]);
      expect(await page.locator('#form-error').innerText()).toContain('HTML');
      expect(await page.locator('#open-helps').inputValue()).toBe('<b>meer tijd</b>');
      expect(await page.locator('#open-helps').getAttribute('aria-invalid')).toBe('true');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `modules-open-error-${name}`);

      // 100 kB: beyond the answer limit (the field's maxlength stops typing; a pasted or scripted post still arrives).
      await page.evaluate(() => {
        const el = document.querySelector<HTMLTextAreaElement>('#open-helps')!;
        el.removeAttribute('maxlength');
        el.value = 'x'.repeat(100 * 1024);
      });
      await Promise.all([page.waitForLoadState('load'), page.click('button[value="next"]')]);
      expect(await page.locator('#form-error').innerText()).toMatch(/te lang/);

      await page.evaluate(() => {
        document.querySelector<HTMLTextAreaElement>('#open-helps')!.value = '   ';
      });
      await Promise.all([page.waitForLoadState('load'), page.click('button[value="next"]')]);
      expect(await page.locator('#form-error').innerText()).toMatch(/spaties/);

      await page.fill('#open-helps', 'Samen met collega\u2019s leren');
      await Promise.all([page.waitForURL('**/survey/background'), page.click('button[value="next"]')]);
      expect(await page.locator('input[name="b.tenure"]').count()).toBe(5);
      expect(await page.locator('input[name="b.contract_hours"]').count()).toBe(5);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `modules-background-${name}`);
      await page.goto(`${web.server.url}/survey/open_questions`);
      expect(await page.locator('#open-helps').inputValue()).toBe('Samen met collega\u2019s leren');
      // The three refused answers come back as 400 pages (as any refused answer does); nothing else failed.
      expect(problems.filter((p) => /status of 400/.test(p))).toHaveLength(3);
      expect(problems.filter((p) => !/favicon|status of 400/.test(p))).toEqual([]);
      await context.close();
    }, 180_000);
  }
});
