// The LLO dialogue model as an SVG quadrant, drawn as in the source: organisation focus left, people
// right, reactive at the top, proactive at the bottom. Used for a director's own placements (editable
// by click or drag through the client script, with numeric inputs as the accessible alternative), for
// respondents' placements, and read-only on the results dashboard.
import { DIALOGUE_MODEL, drawingPosition, quadrantOf, type QuadrantId } from '../../../scans/index.js';
import type { TimeFrame } from '../../../scans/types.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang } from '../i18n.js';

const SIZE = 400;

/** Short axis-end labels for the drawing; the full wording is in DIALOGUE_MODEL.axes. */
export const AXIS_SHORT = {
  organisation: { nl: '← Organisatie en samenleving', en: '← Organisation and society' },
  people: { nl: 'Mensen →', en: 'People →' },
  reactive: { nl: '↑ Reactief', en: '↑ Reactive' },
  proactive: { nl: '↓ Proactief', en: '↓ Proactive' },
} as const;

export interface QuadrantMarker {
  /** Unique within the drawing. */
  key: string;
  frame: TimeFrame;
  x: number;
  y: number;
  /** Accessible name, e.g. "Uw plaatsing: huidige situatie". */
  label: string;
  /** 'own' markers are large and (when editable) draggable; 'group' markers are means of others. */
  kind: 'own' | 'group';
  /** Short text inside or beside the marker (V, H, G or a group initial). */
  short: string;
  /** CSS class suffix for the colour (frame or group). */
  tone: string;
}

export interface QuadrantOptions {
  lang: Lang;
  id: string;
  title: string;
  markers: QuadrantMarker[];
  /** Arrows between markers (by key), e.g. past -> current -> desired. */
  arrows?: Array<[string, string, string]>;
  /** Editable frames: markers the client script may move (they mirror the numeric inputs). */
  editable?: boolean;
  /** Frames without a point yet (editable mode): hidden markers the script shows on the first click. */
  pending?: Array<{ key: string; frame: TimeFrame; label: string; short: string; tone: string }>;
}

export function quadrantLabel(id: QuadrantId, lang: Lang): string {
  return DIALOGUE_MODEL.quadrants.find((q) => q.id === id)!.label[lang];
}

export function quadrantName(id: QuadrantId, lang: Lang): string {
  return quadrantLabel(id, lang).split(':')[0]!.trim();
}

function toSvg(p: { x: number; y: number }) {
  const clamped = { x: Math.max(-100, Math.min(100, p.x)), y: Math.max(-100, Math.min(100, p.y)) };
  const pos = drawingPosition(clamped);
  return { cx: +(pos.left * SIZE).toFixed(1), cy: +(pos.top * SIZE).toFixed(1) };
}

function marker(m: QuadrantMarker | (Omit<QuadrantMarker, 'x' | 'y' | 'kind'> & { x: number; y: number; kind: 'own' }), editable: boolean, hidden = false): SafeHtml {
  const { cx, cy } = toSvg(m);
  const r = m.kind === 'own' ? 15 : 10;
  return html`<g class="${`marker marker-${m.kind} tone-${m.tone}${hidden ? ' is-pending' : ''}`}" data-key="${m.key}" data-frame="${m.frame}"${editable && m.kind === 'own' ? html` data-draggable="true"` : ''} transform="${`translate(${cx} ${cy})`}"${hidden ? html` visibility="hidden"` : ''} role="img" aria-label="${m.label}">
    <title>${m.label}</title>
    ${m.kind === 'own' ? html`<circle r="${r}" class="marker-dot"/>` : html`<rect x="${-r}" y="${-r}" width="${2 * r}" height="${2 * r}" rx="3" class="marker-dot" transform="rotate(45)"/>`}
    <text class="marker-text" text-anchor="middle" dominant-baseline="central" y="1">${m.short}</text>
  </g>`;
}

export function renderQuadrant(o: QuadrantOptions): SafeHtml {
  const { lang } = o;
  const byKey = new Map(o.markers.map((m) => [m.key, m]));
  const pendingKeys = new Set((o.pending ?? []).map((p) => p.key));
  const arrows = (o.arrows ?? [])
    .map(([a, b, tone]) => {
      const from = byKey.get(a);
      const to = byKey.get(b);
      if ((!from && pendingKeys.has(a) && (to || pendingKeys.has(b))) || (!to && pendingKeys.has(b) && from)) {
        // A point not placed yet: the arrow waits (hidden) until the client script places it.
        return html`<line class="${`arrow tone-${tone}`}" data-from="${a}" data-to="${b}" x1="0" y1="0" x2="0" y2="0" visibility="hidden" marker-end="${`url(#${o.id}-head-${tone})`}"/>`;
      }
      if (!from || !to) return '';
      const p = toSvg(from);
      const q = toSvg(to);
      const len = Math.hypot(q.cx - p.cx, q.cy - p.cy);
      if (len < 34) return '';
      // Stop short of both markers so the arrow head stays visible.
      const ux = (q.cx - p.cx) / len;
      const uy = (q.cy - p.cy) / len;
      const pad = from.kind === 'own' ? 18 : 13;
      return html`<line class="${`arrow tone-${tone}`}" data-from="${a}" data-to="${b}" x1="${(p.cx + ux * pad).toFixed(1)}" y1="${(p.cy + uy * pad).toFixed(1)}" x2="${(q.cx - ux * (pad + 4)).toFixed(1)}" y2="${(q.cy - uy * (pad + 4)).toFixed(1)}" marker-end="${`url(#${o.id}-head-${tone})`}"/>`;
    })
    .filter(Boolean);
  const tones = [...new Set((o.arrows ?? []).map((a) => a[2]))];
  const q = (id: QuadrantId, pos: string) => {
    const [name, what] = quadrantLabel(id, lang).split(':');
    return html`<span class="${`q-label q-${pos}`}" aria-hidden="true"><b>${name}</b>${what ? html`<span class="q-what">${what.trim()}</span>` : ''}</span>`;
  };
  return html`<figure class="quadrant-figure" id="${o.id}">
  <figcaption class="visually-hidden">${o.title}</figcaption>
  <div class="quadrant-grid">
    <div class="axis-label axis-top">${AXIS_SHORT.reactive[lang]}</div>
    <div class="quadrant-box">
      <svg class="quadrant-svg" viewBox="${`-4 -4 ${SIZE + 8} ${SIZE + 8}`}" role="group" aria-label="${o.title}"${o.editable ? html` data-quadrant-editable="true"` : ''}>
        <defs>${tones.map((tone) => html`<marker id="${`${o.id}-head-${tone}`}" class="${`arrow-head tone-${tone}`}" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`)}</defs>
        <rect class="q-bg q-defensive" x="0" y="0" width="200" height="200"/>
        <rect class="q-bg q-curative" x="200" y="0" width="200" height="200"/>
        <rect class="q-bg q-offensive" x="0" y="200" width="200" height="200"/>
        <rect class="q-bg q-preventive" x="200" y="200" width="200" height="200"/>
        <line class="q-axis" x1="200" y1="0" x2="200" y2="400"/>
        <line class="q-axis" x1="0" y1="200" x2="400" y2="200"/>
        <rect class="q-frame" x="0" y="0" width="400" height="400" rx="6"/>
        <g class="arrows">${arrows}</g>
        <g class="markers">
          ${o.markers.map((m) => marker(m, o.editable ?? false))}
          ${(o.pending ?? []).map((p) => marker({ ...p, x: 0, y: 0, kind: 'own' }, true, true))}
        </g>
      </svg>
      ${q('defensive', 'tl')}${q('curative', 'tr')}${q('offensive', 'bl')}${q('preventive', 'br')}
    </div>
    <div class="axis-row">
      <span class="axis-label axis-left">${AXIS_SHORT.organisation[lang]}</span>
      <span class="axis-label axis-bottom">${AXIS_SHORT.proactive[lang]}</span>
      <span class="axis-label axis-right">${AXIS_SHORT.people[lang]}</span>
    </div>
  </div>
</figure>`;
}

export function quadrantOfSafe(p: { x: number; y: number }): QuadrantId {
  return quadrantOf({ x: Math.max(-100, Math.min(100, p.x)), y: Math.max(-100, Math.min(100, p.y)) });
}

export const FRAME_SHORT: Record<TimeFrame, { nl: string; en: string }> = {
  past: { nl: 'V', en: 'P' },
  current: { nl: 'H', en: 'C' },
  desired: { nl: 'G', en: 'D' },
};
