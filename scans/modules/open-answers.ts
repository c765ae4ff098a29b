// Open answers: checking what a respondent typed, and a simple theme count over a group's answers.
// Pure. The texts themselves are only shown for groups of at least FREE_TEXT_MIN (scans/anonymity.ts)
// under the disclosure rules (server/results/modules/).
import type { LocalizedText } from '../types.js';
import { OPEN_ANSWER_MAX } from './definitions.js';

export type OpenAnswerProblem = 'only_whitespace' | 'markup' | 'too_long';

export const OPEN_ANSWER_MESSAGES: Readonly<Record<OpenAnswerProblem, LocalizedText>> = {
  only_whitespace: { nl: 'Uw antwoord bevat alleen spaties. Typ een antwoord of laat het veld leeg.', en: 'Your answer contains only spaces. Type an answer or leave the field empty.' },
  markup: { nl: 'Uw antwoord bevat HTML-code (tekens als < en >). Schrijf het antwoord als gewone tekst.', en: 'Your answer contains HTML code (characters such as < and >). Write the answer as plain text.' },
  too_long: {
    nl: `Uw antwoord is te lang. Gebruik maximaal ${OPEN_ANSWER_MAX} tekens.`,
    en: `Your answer is too long. Use at most ${OPEN_ANSWER_MAX} characters.`,
  },
};

// A tag-like sequence (<b>, </p>, <script ...>, <!-- -->) or an HTML character reference (&lt; &#60;).
const MARKUP = /<\s*\/?\s*[a-z!][^>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);/i;

/** The cleaned answer (trimmed, line ends normalised), or the problem with it. Empty string: no answer. */
export function checkOpenAnswer(raw: string): { ok: true; text: string } | { ok: false; problem: OpenAnswerProblem } {
  if (raw.length > OPEN_ANSWER_MAX * 4) return { ok: false, problem: 'too_long' };
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (raw.length > 0 && text.length === 0) return { ok: false, problem: 'only_whitespace' };
  if ([...text].length > OPEN_ANSWER_MAX) return { ok: false, problem: 'too_long' };
  if (MARKUP.test(text)) return { ok: false, problem: 'markup' };
  return { ok: true, text };
}

/** Themes with Dutch and English word stems; an answer counts once per theme it mentions. */
export const OPEN_THEMES: ReadonlyArray<{ id: string; label: LocalizedText; stems: readonly string[] }> = Object.freeze([
  { id: 'time', label: { nl: 'Tijd en werkdruk', en: 'Time and workload' }, stems: ['tijd', 'druk', 'werkdruk', 'uren', 'time', 'busy', 'workload', 'hours'] },
  { id: 'colleagues', label: { nl: 'Collega\u2019s en samen leren', en: 'Colleagues and learning together' }, stems: ['collega', 'samen', 'team', 'elkaar', 'colleague', 'together', 'each other', 'peer'] },
  { id: 'manager', label: { nl: 'Leidinggevende', en: 'Manager' }, stems: ['leidinggevende', 'manager', 'baas', 'chef', 'boss', 'supervisor'] },
  { id: 'training', label: { nl: 'Cursussen en training', en: 'Courses and training' }, stems: ['cursus', 'training', 'opleiding', 'scholing', 'course', 'workshop', 'class'] },
  { id: 'practice', label: { nl: 'Leren in de praktijk', en: 'Learning in practice' }, stems: ['praktijk', 'doen', 'proberen', 'oefenen', 'practice', 'doing', 'trying', 'hands-on'] },
  { id: 'feedback', label: { nl: 'Feedback en erkenning', en: 'Feedback and recognition' }, stems: ['feedback', 'terugkoppeling', 'waardering', 'compliment', 'erkenning', 'recognition', 'appreciat'] },
  { id: 'budget', label: { nl: 'Geld en budget', en: 'Money and budget' }, stems: ['budget', 'geld', 'kosten', 'betalen', 'money', 'cost', 'pay', 'funding'] },
  { id: 'tools', label: { nl: 'Middelen en techniek', en: 'Tools and technology' }, stems: ['computer', 'systeem', 'app', 'software', 'laptop', 'tool', 'system', 'online', 'e-learning'] },
]);

/** Per stem its expression, made once (made per answer and stem, they were ~20% of the extras' composition at 100,000). */
const STEM_PATTERNS = new Map<string, RegExp>();

function mentions(text: string, stem: string): boolean {
  // Word start: "tijd" matches "tijd", "tijdens" and "werktijd"? Only word starts, so "werktijd" does not.
  let pattern = STEM_PATTERNS.get(stem);
  if (!pattern) {
    const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // No g or y flag: test() keeps no lastIndex between texts.
    pattern = new RegExp(`(^|[^\\p{L}])${escaped}`, 'iu');
    STEM_PATTERNS.set(stem, pattern);
  }
  return pattern.test(text);
}

/** Per theme, how many answers mention it; themes in the order above, zero counts included. */
export function countThemes(answers: readonly string[]): Array<{ id: string; label: LocalizedText; count: number }> {
  return OPEN_THEMES.map((t) => ({ id: t.id, label: t.label, count: answers.filter((a) => t.stems.some((s) => mentions(a, s))).length }));
}

/**
 * The answers in an order that says nothing about who wrote them or when: sorted by text (locale
 * independent), so two readings of the same set give the same list.
 */
export function unorderedList(answers: readonly string[]): string[] {
  return [...answers].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
