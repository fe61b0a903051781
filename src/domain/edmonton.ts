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

export function edmontonParts(at: Date): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of partsFormat.formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: parts.weekday.replace('.', ''),
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

/** The instant of a wall-clock time in Edmonton (the earlier one if it occurs twice). */
export function edmontonInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted + 7 * 3600_000;
  for (let i = 0; i < 3; i++) {
    const p = edmontonParts(new Date(guess));
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    if (seen === wanted) break;
    guess += wanted - seen;
  }
  return new Date(guess);
}
