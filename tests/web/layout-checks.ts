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
    // Header menu items and buttons must be on screen, not hidden in a scroller or under each other.
    const headerItems = Array.from(document.querySelectorAll<HTMLElement>('header a, header button'));
    for (const a of headerItems) {
      const r = a.getBoundingClientRect();
      if (r.width === 0) continue;
      const box = visibleBox(a.parentElement ?? a);
      if (r.left < Math.max(0, box.left) - slack || r.right > Math.min(window.innerWidth, box.right) + slack) problems.push(`header item "${label(a)}" is not fully visible`);
      for (const b of headerItems) {
        if (b === a || a.contains(b) || b.contains(a)) continue;
        const q = b.getBoundingClientRect();
        const overlap = Math.min(r.right, q.right) - Math.max(r.left, q.left) > 2 && Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top) > 2;
        if (overlap && label(a) < label(b)) problems.push(`header items "${label(a)}" and "${label(b)}" overlap`);
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
    // The axis labels around a quadrant: apart from each other (a clear gap when they share a line),
    // and none squeezed into more than two lines.
    for (const grid of Array.from(document.querySelectorAll<HTMLElement>('.quadrant-grid'))) {
      const labels = Array.from(grid.querySelectorAll<HTMLElement>('.axis-label')).filter((el) => el.getBoundingClientRect().width > 0);
      // The box of the text itself, not of its (grid-stretched) element.
      const textBox = (el: HTMLElement) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return range.getBoundingClientRect();
      };
      for (const a of labels) {
        const r = textBox(a);
        const lineHeight = parseFloat(getComputedStyle(a).lineHeight) || parseFloat(getComputedStyle(a).fontSize) * 1.3;
        if (r.height > lineHeight * 2 + slack) problems.push(`axis label "${label(a)}" is squeezed onto ${Math.round(r.height / lineHeight)} lines`);
        for (const b of labels) {
          if (a === b || label(a) > label(b)) continue;
          const q = textBox(b);
          const sameLine = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top) > 2;
          const gap = Math.max(q.left - r.right, r.left - q.right);
          if (sameLine && gap < 12) problems.push(`axis labels "${label(a)}" and "${label(b)}" crowd each other (${Math.round(gap)}px apart)`);
        }
      }
    }
    // Pictures keep their proportions (the logo preview was stretched to the width of its field).
    for (const img of Array.from(document.querySelectorAll<HTMLImageElement>('img'))) {
      if (!img.complete || !img.naturalWidth || !img.naturalHeight || img.clientWidth === 0) continue;
      if (getComputedStyle(img).objectFit === 'contain') continue;
      const shown = img.clientWidth / img.clientHeight;
      const natural = img.naturalWidth / img.naturalHeight;
      if (Math.abs(shown / natural - 1) > 0.03) problems.push(`image ${img.getAttribute('src')} is distorted (${shown.toFixed(2)} instead of ${natural.toFixed(2)})`);
    }
    return problems;
  });
}

/**
 * Tables whose first column is their key (group, mechanism, department; class "key-col"): scrolled
 * to their far right end, every first-column cell must still lie inside the window and be the
 * element seen at its own centre (not covered by the figures scrolling under it).
 */
export async function keyColumnProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const label = (el: Element) => (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    for (const table of Array.from(document.querySelectorAll<HTMLTableElement>('table.key-col'))) {
      if (table.getBoundingClientRect().width === 0) continue;
      const wrap = table.closest<HTMLElement>('.table-wrap');
      const before = wrap?.scrollLeft ?? 0;
      if (wrap) wrap.scrollLeft = wrap.scrollWidth;
      const rows = Array.from(table.querySelectorAll<HTMLTableRowElement>('tbody tr:not(.dim-row), tfoot tr'));
      for (const row of rows) {
        const cell = row.cells[0];
        if (!cell) continue;
        let r = cell.getBoundingClientRect();
        window.scrollTo(window.scrollX, window.scrollY + r.top - window.innerHeight / 2);
        r = cell.getBoundingClientRect();
        const where = `${table.className || 'table'} row "${label(cell)}"`;
        if (r.left < -1 || r.right > window.innerWidth + 1) {
          problems.push(`key cell ${where} is off-screen (${Math.round(r.left)}..${Math.round(r.right)} in ${window.innerWidth})`);
          continue;
        }
        // A word wider than its sticky cell would run under the figures scrolling past.
        if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`key cell ${where}: its text is wider than the cell (${cell.scrollWidth} > ${cell.clientWidth})`);
        const seen = document.elementFromPoint(r.left + Math.min(12, r.width / 2), r.top + r.height / 2);
        if (!seen || !cell.contains(seen)) problems.push(`key cell ${where} is covered by ${seen?.tagName.toLowerCase() ?? 'nothing'} when the table is scrolled`);
      }
      if (wrap) wrap.scrollLeft = before;
    }
    window.scrollTo(0, 0);
    return problems;
  });
}
