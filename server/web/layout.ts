// The page shell shared by every page: head with CSP-friendly assets, header with navigation and the
// language switch, the demo banner, and the accent colour as CSS variables in one nonce'd style block.
import { html, type SafeHtml } from './html.js';
import type { Lang, Translate } from './i18n.js';
import { asset } from './assets.js';

export const DEFAULT_ACCENT = '#1f5f7a';
const HEX = /^#[0-9a-f]{6}$/i;

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}
function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
function darken(hex: string, f: number): string {
  const n = parseInt(hex.slice(1), 16);
  const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => Math.round(v * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * CSS variables for an uploaded accent colour. Whatever colour a consultancy picks, text on it and
 * links in it keep WCAG AA contrast: the ink colour on the accent is white or near-black, and the
 * colour used for text on white is darkened until it reaches 4.5:1.
 */
export function accentVariables(accent: string | null | undefined): Record<string, string> {
  const base = accent && HEX.test(accent) ? accent.toLowerCase() : DEFAULT_ACCENT;
  const ink = contrastRatio(base, '#ffffff') >= 4.5 ? '#ffffff' : '#111827';
  let text = base;
  for (let f = 0.92; contrastRatio(text, '#ffffff') < 4.5 && f > 0.2; f -= 0.08) text = darken(base, f);
  // Buttons use the accent as background: when white text does not reach 4.5:1, use the darkened tone.
  const button = ink === '#ffffff' ? base : text;
  return { '--accent': base, '--accent-text': text, '--accent-button': button, '--accent-ink': contrastRatio(button, '#ffffff') >= 4.5 ? '#ffffff' : '#111827' };
}

export interface ShellUser {
  name: string;
  csrfToken: string;
  roles: string[];
}

export interface PageOptions {
  lang: Lang;
  t: Translate;
  title: string;
  nonce: string;
  body: SafeHtml;
  accent?: string | null;
  /** Logo URL (served by our own origin) shown in the header instead of the product mark. */
  logoUrl?: string | null;
  brandName?: string | null;
  user?: ShellUser | null;
  nav?: 'organisations' | 'branding' | 'benchmarks' | 'outbox' | null;
  demo?: boolean;
  /** 'app' for staff pages, 'survey' for respondents (narrow, no navigation), 'plain' for sign-in and errors. */
  variant?: 'app' | 'survey' | 'plain';
  /** The URL of this page in another language (defaults to ?lang=xx on the current path). */
  langHref: (lang: Lang) => string;
  /** Extra attributes for <body> data (client-script texts). */
  bodyData?: Record<string, string>;
  /** Scripts needed by the page besides app.js. */
  scripts?: string[];
}

function langSwitch(o: PageOptions): SafeHtml {
  const langs: Lang[] = ['nl', 'en'];
  return html`<nav class="lang-switch" aria-label="${o.t('language')}">
    ${langs.map((l) =>
      l === o.lang
        ? html`<span class="lang-current" aria-current="true" lang="${l}">${l.toUpperCase()}</span>`
        : html`<a href="${o.langHref(l)}" lang="${l}" hreflang="${l}">${l.toUpperCase()}<span class="visually-hidden"> – ${l === 'nl' ? 'Nederlands' : 'English'}</span></a>`,
    )}
  </nav>`;
}

function brand(o: PageOptions): SafeHtml {
  const mark = html`<svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect x="1" y="1" width="30" height="30" rx="8" class="brand-bg"/><path d="M9 22V10m0 12h7M18 22l5-12 3 7" class="brand-line"/></svg>`;
  const name = o.brandName ?? o.t('appName');
  const href = o.user ? '/app' : '/';
  return html`<a class="brand" href="${href}">${o.logoUrl ? html`<img class="brand-logo" src="${o.logoUrl}" alt="${name}">` : html`${mark}<span class="brand-name">${name}</span>`}</a>`;
}

function staffNav(o: PageOptions): SafeHtml {
  if (!o.user) return html``;
  const isConsultant = o.user.roles.includes('consultant');
  const item = (key: 'organisations' | 'branding' | 'benchmarks' | 'outbox', href: string) =>
    html`<li><a href="${href}"${o.nav === key ? html` aria-current="page"` : ''}>${o.t(key)}</a></li>`;
  return html`<nav class="main-nav" aria-label="${o.t('appName')}"><ul>
    ${item('organisations', '/app')}
    ${isConsultant ? [item('branding', '/app/branding'), item('benchmarks', '/app/benchmarks')] : ''}
    ${isConsultant || o.user.roles.includes('hr') ? item('outbox', '/app/outbox') : ''}
  </ul></nav>
  <div class="user-menu">
    <span class="user-name">${o.user.name}</span>
    <form method="post" action="/logout" class="inline-form">
      <input type="hidden" name="_csrf" value="${o.user.csrfToken}">
      <button type="submit" class="btn btn-quiet btn-small">${o.t('signOut')}</button>
    </form>
  </div>`;
}

export function page(o: PageOptions): string {
  const variant = o.variant ?? 'app';
  const vars = accentVariables(o.accent);
  const style = `:root{${Object.entries(vars)
    .map(([k, v]) => `${k}:${v}`)
    .join(';')}}`;
  const data = Object.entries(o.bodyData ?? {});
  const doc = html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title} · ${o.t('appName')}</title>
<link rel="icon" href="${asset('favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${asset('app.css')}">
<style nonce="${o.nonce}">${style}</style>
${(o.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
<script src="${asset('app.js')}" defer></script>
</head>
<body class="${`v-${variant}`}"${data.map(([k, v]) => html` data-${k}="${v}"`)}>
<a class="skip-link" href="#main">${o.t('skipToContent')}</a>
${o.demo ? html`<div class="demo-banner" role="note">${o.t('demoBanner')}</div>` : ''}
<header class="site-header">
  <div class="header-inner">
    ${brand(o)}
    ${variant === 'app' ? staffNav(o) : ''}
    ${langSwitch(o)}
    ${variant === 'app' && o.user ? html`<span class="header-break" aria-hidden="true"></span>` : ''}
  </div>
</header>
<main id="main" tabindex="-1" class="${`main main-${variant}`}">
${o.body}
</main>
<footer class="site-footer"><p>${o.t('footer')}</p></footer>
</body>
</html>`;
  return doc.value;
}
