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
    // The visible box of an element: its own box cut by every ancestor that clips (and the svg itself).
    const visibleBox = (start: Element) => {
      let box = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
      for (let el: Element | null = start; el && el !== document.documentElement; el = el.parentElement) {
        const st = getComputedStyle(el);
        const clipsX = st.overflowX !== 'visible';
        const clipsY = st.overflowY !== 'visible';
        if (!clipsX && !clipsY) continue;
        const r = el.getBoundingClientRect();
        box = {
          left: clipsX ? Math.max(box.left, r.left) : box.left,
          right: clipsX ? Math.min(box.right, r.right) : box.right,
          top: clipsY ? Math.max(box.top, r.top) : box.top,
          bottom: clipsY ? Math.min(box.bottom, r.bottom) : box.bottom,
        };
      }
      return box;
    };
    for (const text of Array.from(document.querySelectorAll<SVGTextElement>('svg text'))) {
      if (!label(text)) continue;
      const svg = text.ownerSVGElement;
      if (!svg || svg.getBoundingClientRect().width === 0) continue;
      const r = text.getBoundingClientRect();
      if (r.width === 0) continue;
      // Scrolling containers (wide tables) are not clipping for this purpose: the text can be reached.
      const scrollParent = svg.closest('.table-wrap');
      const box = visibleBox(scrollParent ? scrollParent : svg);
      if (r.left < box.left - slack || r.right > box.right + slack || r.top < box.top - slack || r.bottom > box.bottom + slack) {
        problems.push(`chart text "${label(text)}" is clipped (${Math.round(r.left)}..${Math.round(r.right)} outside ${Math.round(box.left)}..${Math.round(box.right)})`);
      }
    }
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const hides = (v: string) => v === 'hidden' || v === 'clip';
      if (!hides(style.overflowX) && !hides(style.overflowY)) continue;
      if (el.matches('.visually-hidden, .skip-link, [aria-hidden="true"]') || el.closest('.visually-hidden')) continue;
      // Text hidden on purpose for screen readers only (1px, clipped) is not cut off.
      if (el.clientWidth <= 1 || el.clientHeight <= 1 || (style.clip && style.clip !== 'auto')) continue;
      if (!Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim())) continue;
      const cutX = hides(style.overflowX) && el.scrollWidth > el.clientWidth + slack;
      const cutY = hides(style.overflowY) && el.scrollHeight > el.clientHeight + slack + 2;
      if (cutX || cutY) problems.push(`text "${label(el)}" is cut off by its box (${el.tagName.toLowerCase()}.${el.className})`);
    }
    return problems;
  });
}
