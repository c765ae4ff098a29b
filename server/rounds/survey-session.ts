// Proof that a call of the respondent API comes from the respondent's own browser session. The web
// questionnaire keeps the token in an HttpOnly cookie and calls the API in-process with this header;
// the key is random per process and never leaves it. Someone who only holds the link (the HR officer
// who mailed it, a forwarded mail, an integration) cannot produce the header, so the API shows them
// nothing of a person's saved answers. Every instance's pages call their own process, so no key has
// to be shared between instances.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SURVEY_SESSION_HEADER = 'x-lcs-survey-session';

let key: Buffer | null = null;
const processKey = () => (key ??= randomBytes(32));

/** The header value the pages send for the token in the respondent's cookie. */
export function surveySessionProof(token: string): string {
  return createHmac('sha256', processKey()).update(`survey-session:${token}`).digest('base64url');
}

/** Whether a request carries the proof for this token. */
export function hasSurveySession(headers: Record<string, string | string[] | undefined>, token: string): boolean {
  const sent = headers[SURVEY_SESSION_HEADER];
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(surveySessionProof(token));
  return a.length === b.length && timingSafeEqual(a, b);
}
