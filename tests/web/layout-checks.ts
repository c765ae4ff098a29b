// Layout checks in Chromium (issue 18): a page must not overflow horizontally, and no text may be
// clipped: every SVG <text> must lie inside its chart's visible box, and no element that hides its
// overflow may cut off its own text (compare each text's box with its container).
import type { Page } from 'playwright-core';

export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const slack = 1.5;
    const doc = document.scrollingElement ?? document.documentElement;
    if (doc.scrollWidth > window.innerWidth + slack) {
      // Name the widest culprits, so a failure says where to look.
      const wide = Array.from(document.body.querySelectorAll<HTMLElement>('*'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + slack && !el.closest('.table-wrap, [data-scroll-x]'))
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`);
      problems.push(`page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window (${wide.join(', ')})`);
    }
    const label = (el: Element) => (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50);
    for (const text of Array.from(document.querySelectorAll<SVGTextElement>('svg text'))) {
      if (!label(text)) continue;
      const svg = text.ownerSVGElement;
      if (!svg) continue;
      const box = svg.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(svg);
      if (style.overflow === 'visible') continue;
      const r = text.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < box.left - slack || r.right > box.right + slack || r.top < box.top - slack || r.bottom > box.bottom + slack) {
        problems.push(`chart text "${label(text)}" is clipped by its chart (${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)}px)`);
      }
    }
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const hides = (v: string) => v === 'hidden' || v === 'clip';
      if (!hides(style.overflowX) && !hides(style.overflowY)) continue;
      if (el.matches('.visually-hidden, .skip-link, [aria-hidden="true"]') || el.closest('.visually-hidden')) continue;
      if (!Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim())) continue;
      const cutX = hides(style.overflowX) && el.scrollWidth > el.clientWidth + slack;
      const cutY = hides(style.overflowY) && el.scrollHeight > el.clientHeight + slack + 2;
      if (cutX || cutY) problems.push(`text "${label(el)}" is cut off by its box (${el.tagName.toLowerCase()}.${el.className})`);
    }
    return problems;
  });
}
