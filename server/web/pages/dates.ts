// Dates entered in forms are calendar days in the Netherlands; the API takes instants. A round opens at
// the start of its first day and closes at the end of its last day, Amsterdam time.
const TZ = 'Europe/Amsterdam';

/** Offset of Amsterdam from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function offsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  // Compare whole minutes: the formatted local time carries no seconds.
  const atMinute = Math.floor(at.getTime() / 60000) * 60000;
  return Math.round((local - atMinute) / 60000);
}

/** "2026-03-01" + "start" -> the instant 2026-03-01T00:00 Amsterdam time, ISO with offset; null for "". */
export function dayToIso(day: string, edge: 'start' | 'end'): string | null | 'invalid' {
  if (day.trim() === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) return 'invalid';
  const [h, min, s] = edge === 'start' ? [0, 0, 0] : [23, 59, 59];
  const guess = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, min, s));
  if (Number.isNaN(guess.getTime())) return 'invalid';
  const off = offsetMinutes(new Date(guess.getTime() - 120 * 60000));
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${m[1]}-${m[2]}-${m[3]}T${pad(h)}:${pad(min)}:${pad(s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The Amsterdam calendar day of an instant, as YYYY-MM-DD (for date inputs). */
export function isoToDay(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}
