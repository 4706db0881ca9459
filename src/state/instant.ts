/**
 * An ISO-8601 instant as a caller writes one: a date-time with its zone (`2026-01-01T12:00:00Z`,
 * `2026-01-01T12:00:00.123456789+02:00`, or without seconds `2026-01-01T12:00Z`), or a calendar date alone
 * (`2026-01-01`, midnight UTC). Upper-case `T` and `Z` only, 1 to 9 fraction digits, a real calendar date and
 * time of day (no February 30, hour 24 or second 60), a zone within ±23:59. A date-time without a zone is no
 * instant: it would be read in the host's time zone.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2})))?$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1];
}

/**
 * The epoch milliseconds of an instant written in the strict ISO-8601 form above (a fraction finer than a
 * millisecond is cut off); undefined when the text is not one, for the twin to refuse in its vendor's words.
 *
 * @example
 * parseInstant('2026-01-01T01:00:00.000+01:00'); // 1767225600000
 * parseInstant('2026-01-01'); // 1767225600000
 * parseInstant('2026-01-01T00:00:00'); // undefined (no zone)
 */
export function parseInstant(text: string): number | undefined {
  const parts = INSTANT.exec(text);
  if (!parts) return undefined;
  const [y, mo, d, h, mi, s, zh, zm] = [1, 2, 3, 4, 5, 6, 9, 10].map((group) => Number(parts[group] ?? 0));
  const fraction = parts[7] ?? '';
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h > 23 || mi > 59 || s > 59 || zh > 23 || zm > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offsetMs = (parts[8] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  return date.getTime() - offsetMs;
}
