// Calendar logic is Edmonton-local: the clinic's days and months, never UTC ones.
export const TIME_ZONE = 'America/Edmonton';

export type LocalParts = {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: string; // Mon, Tue, ...
};

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  weekday: 'short',
  hourCycle: 'h23',
});

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const HOUR_MS = 3600_000;
// Edmonton's offset from UTC changes only on whole UTC hours (at 2:00 local), so it is the
// same for every instant of a UTC hour: ask Intl (slow) once per hour, then do arithmetic.
const offsets = new Map<number, number>();

function offsetAt(at: Date): number {
  const hour = Math.floor(at.getTime() / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const parts: Record<string, string> = {};
    for (const part of partsFormat.formatToParts(new Date(hour * HOUR_MS))) parts[part.type] = part.value;
    offset = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute)) - hour * HOUR_MS;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

export function edmontonParts(at: Date): LocalParts {
  const local = new Date(at.getTime() + offsetAt(at));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: WEEKDAYS[local.getUTCDay()],
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of the Edmonton calendar day containing the instant. */
export function edmontonDate(at: Date): string {
  const p = edmontonParts(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** 'YYYY-MM-DD HH:mm' in Edmonton local time. */
export function formatEdmontonDateTime(at: Date): string {
  const p = edmontonParts(at);
  return `${edmontonDate(at)} ${pad(p.hour)}:${pad(p.minute)}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

export function monthName(month: number): string {
  return MONTHS[month - 1];
}

/**
 * The instant of a wall-clock time in Edmonton. A time that happens twice (the hour after
 * 01:00 on the day DST ends) is its earlier instant, in daylight time; a time that never
 * happens (02:00–02:59 on the day DST starts) is read in standard time, which lands just after
 * the gap (02:30 → 03:30 MDT).
 */
export function edmontonInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  // Edmonton is UTC−6 in daylight time and UTC−7 in standard time: the earlier candidate first.
  for (const offsetHours of [6, 7]) {
    const candidate = new Date(wanted + offsetHours * 3600_000);
    const p = edmontonParts(candidate);
    if (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wanted) return candidate;
  }
  return new Date(wanted + 7 * 3600_000);
}
