// The LLO dialogue model drawn directly as SVG, as in the source: organisation focus left, people right,
// reactive at the top, proactive at the bottom; per group arrows past -> current -> desired.
//
// Drawn by hand rather than with chart.js: a scatter chart has no arrows, quadrant fills or corner
// labels, and a hand-made SVG keeps its text as real text (pdfmake's svg node sets it in Roboto), so
// the figure stays sharp, searchable and small. Only visible (non-suppressed) frames are drawn.

import { QUADRANTS, drawingPosition } from '../scans/instruments/dialogue-model.js';
import type { DialogueResult } from '../scans/result-model.js';
import type { Language, PlacementGroup, TimeFrame } from '../scans/types.js';
import { stringsFor } from './i18n.js';
import type { Theme } from './theme.js';
import { wrapToWidth } from './text-width.js';

export interface QuadrantOptions {
  /** Frames to draw, in order (the director summary shows only current and desired). */
  frames?: readonly TimeFrame[];
  width?: number;
  height?: number;
}

export function groupColor(group: PlacementGroup, theme: Theme): string {
  switch (group) {
    case 'director':
      return theme.accent;
    case 'hr':
      return theme.series2;
    case 'employee':
      return '#3d7f52';
    case 'consultant':
      return '#7b5ea7';
  }
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** The groups and frames that will be drawn (visible means only). */
export function visiblePoints(dialogue: DialogueResult, frames: readonly TimeFrame[]) {
  return dialogue.groups
    .map((g) => ({
      group: g.group,
      points: frames
        .map((frame) => {
          const f = g.frames.find((x) => x.frame === frame);
          return f && !f.suppressed && f.summary ? { frame, x: f.summary.mean.x, y: f.summary.mean.y, n: f.summary.n } : null;
        })
        .filter((p): p is { frame: TimeFrame; x: number; y: number; n: number } => p !== null),
    }))
    .filter((g) => g.points.length > 0);
}

export function quadrantSvg(dialogue: DialogueResult, lang: Language, theme: Theme, opts: QuadrantOptions = {}): string {
  const t = stringsFor(lang);
  const frames = opts.frames ?? ['past', 'current', 'desired'];
  const W = opts.width ?? 483;
  const H = opts.height ?? 420;
  const S = Math.min(W - 120, H - 96);
  const L = (W - S) / 2;
  const T = 24;
  const px = (x: number, y: number) => {
    const p = drawingPosition({ x: Math.max(-100, Math.min(100, x)), y: Math.max(-100, Math.min(100, y)) });
    return { cx: r1(L + p.left * S), cy: r1(T + p.top * S) };
  };
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`);

  // Quadrant fills and corner labels. drawingPosition puts reactive (y < 0) at the top.
  const half = S / 2;
  const fills: Record<string, string> = { defensive: '#f1f3f5', curative: '#f7f8f9', offensive: '#f7f8f9', preventive: '#f1f3f5' };
  for (const q of QUADRANTS) {
    const left = q.focus === 'organisation' ? L : L + half;
    const top = q.stance === 'reactive' ? T : T + half;
    out.push(`<rect x="${r1(left)}" y="${r1(top)}" width="${r1(half)}" height="${r1(half)}" fill="${fills[q.id]}"/>`);
    const [name, sub] = q.label[lang].split(':').map((s) => s.trim());
    const alignLeft = q.focus === 'organisation';
    const tx = alignLeft ? left + 8 : left + half - 8;
    const anchor = alignLeft ? 'start' : 'end';
    // Sub-labels wrap to the quadrant's width, measured in Roboto, and are never cut short.
    const subLines = sub ? wrapToWidth(sub, half - 16, 7.5) : [];
    const ty = q.stance === 'reactive' ? top + 15 : top + half - 8 - subLines.length * 9.5;
    out.push(`<text x="${r1(tx)}" y="${r1(ty)}" font-family="Roboto" font-weight="bold" font-size="9" fill="${theme.muted}" text-anchor="${anchor}">${esc(name ?? '')}</text>`);
    subLines.forEach((line, i) => {
      out.push(`<text x="${r1(tx)}" y="${r1(ty + 11 + i * 9.5)}" font-family="Roboto" font-size="7.5" fill="${theme.faint}" text-anchor="${anchor}">${esc(line)}</text>`);
    });
  }
  out.push(`<rect x="${r1(L)}" y="${T}" width="${r1(S)}" height="${r1(S)}" fill="none" stroke="${theme.rule}" stroke-width="0.8"/>`);
  out.push(`<line x1="${r1(L + half)}" y1="${T}" x2="${r1(L + half)}" y2="${r1(T + S)}" stroke="${theme.faint}" stroke-width="0.8"/>`);
  out.push(`<line x1="${r1(L)}" y1="${r1(T + half)}" x2="${r1(L + S)}" y2="${r1(T + half)}" stroke="${theme.faint}" stroke-width="0.8"/>`);

  // Axis labels on the four sides.
  const axisText = (x: number, y: number, text: string, rotate = 0) =>
    `<text x="${r1(x)}" y="${r1(y)}" font-family="Roboto" font-weight="bold" font-size="8" fill="${theme.accentInk}" text-anchor="middle"${rotate ? ` transform="rotate(${rotate} ${r1(x)} ${r1(y)})"` : ''}>${esc(text)}</text>`;
  out.push(axisText(L + half, T - 9, t.axisReactive.toUpperCase()));
  out.push(axisText(L + half, T + S + 15, t.axisProactive.toUpperCase()));
  out.push(axisText(L - 10, T + half, t.axisOrganisation, -90));
  out.push(axisText(L + S + 10, T + half, t.axisPeople, 90));

  // Per group: arrows between consecutive frames, then markers on top.
  const groups = visiblePoints(dialogue, frames);
  for (const g of groups) {
    const color = groupColor(g.group, theme);
    for (let i = 1; i < g.points.length; i++) {
      const a = px(g.points[i - 1]!.x, g.points[i - 1]!.y);
      const b = px(g.points[i]!.x, g.points[i]!.y);
      const dashed = g.points[i - 1]!.frame === 'past';
      out.push(arrow(a.cx, a.cy, b.cx, b.cy, color, dashed));
    }
  }
  for (const g of groups) {
    const color = groupColor(g.group, theme);
    for (const p of g.points) {
      const { cx, cy } = px(p.x, p.y);
      out.push(marker(p.frame, cx, cy, color));
    }
  }

  // Legend: groups (colour) and frames (shape).
  let lx = L - 30;
  const ly = T + S + 36;
  for (const g of groups) {
    const color = groupColor(g.group, theme);
    out.push(`<rect x="${r1(lx)}" y="${r1(ly - 7)}" width="9" height="9" fill="${color}"/>`);
    const label = t.groups[g.group];
    out.push(`<text x="${r1(lx + 13)}" y="${r1(ly)}" font-family="Roboto" font-size="8" fill="${theme.ink}">${esc(label)}</text>`);
    lx += 22 + label.length * 4.6;
  }
  lx += 14;
  for (const frame of frames) {
    out.push(marker(frame, lx + 4, ly - 3, theme.muted));
    const label = t.frames[frame];
    out.push(`<text x="${r1(lx + 13)}" y="${r1(ly)}" font-family="Roboto" font-size="8" fill="${theme.ink}">${esc(label)}</text>`);
    lx += 24 + label.length * 4.4;
  }
  out.push('</svg>');
  return out.join('\n');
}

function marker(frame: TimeFrame, cx: number, cy: number, color: string): string {
  switch (frame) {
    case 'past':
      return `<circle cx="${cx}" cy="${cy}" r="3.6" fill="#ffffff" stroke="${color}" stroke-width="1.4"/>`;
    case 'current':
      return `<circle cx="${cx}" cy="${cy}" r="4.4" fill="${color}" stroke="#ffffff" stroke-width="1"/>`;
    case 'desired': {
      const d = 5.6;
      return `<polygon points="${r1(cx)},${r1(cy - d)} ${r1(cx + d)},${r1(cy)} ${r1(cx)},${r1(cy + d)} ${r1(cx - d)},${r1(cy)}" fill="${color}" stroke="#ffffff" stroke-width="1"/>`;
    }
  }
}

/** A line from a to b, shortened at both ends so it clears the markers, with a filled arrowhead. */
function arrow(ax: number, ay: number, bx: number, by: number, color: string, dashed: boolean): string {
  const dx = bx - ax;
  const dy = by - ay;
  const len = Math.hypot(dx, dy);
  if (len < 14) return '';
  const ux = dx / len;
  const uy = dy / len;
  const sx = ax + ux * 6;
  const sy = ay + uy * 6;
  const tipX = bx - ux * 7;
  const tipY = by - uy * 7;
  const head = 6.5;
  const baseX = tipX - ux * head;
  const baseY = tipY - uy * head;
  const wing = 3.2;
  const p1 = `${r1(baseX - uy * wing)},${r1(baseY + ux * wing)}`;
  const p2 = `${r1(baseX + uy * wing)},${r1(baseY - ux * wing)}`;
  const dash = dashed ? ' stroke-dasharray="3 2.5"' : '';
  return (
    `<line x1="${r1(sx)}" y1="${r1(sy)}" x2="${r1(baseX)}" y2="${r1(baseY)}" stroke="${color}" stroke-width="${dashed ? 1.1 : 1.6}"${dash} stroke-opacity="${dashed ? 0.8 : 1}"/>` +
    `<polygon points="${r1(tipX)},${r1(tipY)} ${p1} ${p2}" fill="${color}"/>`
  );
}
