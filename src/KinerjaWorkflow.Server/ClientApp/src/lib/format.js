// Dates in the office's own time zone, durations in office working time, numbers the Indonesian way.

const ZONE_NAMES = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

export function zoneName(timeZone) {
  return ZONE_NAMES[timeZone] ?? timeZone;
}

const formatters = new Map();
function formatter(timeZone, options) {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat('id-ID', { timeZone, ...options }));
  return formatters.get(key);
}

/** "Sen, 13 Okt 2025 10.05 WIB" */
export function dateTime(value, timeZone) {
  if (!value) return '–';
  const date = new Date(value);
  const text = formatter(timeZone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return `${text} ${zoneName(timeZone)}`;
}

/** "13 Okt 2025" */
export function dateOnly(value, timeZone) {
  if (!value) return '–';
  return formatter(timeZone, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(value));
}

/** "10.05" */
export function timeOfDay(value, timeZone) {
  return formatter(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(value));
}

/** Minutes of office working time as "3 jam 20 menit"; negative values read as how late. */
export function workingDuration(minutes) {
  if (minutes === null || minutes === undefined || Number.isNaN(minutes)) return '–';
  const total = Math.round(Math.abs(minutes));
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return `${rest} menit`;
  if (rest === 0) return `${hours} jam`;
  return `${hours} jam ${rest} menit`;
}

export function percent(rate) {
  if (rate === null || rate === undefined) return '–';
  return `${(rate * 100).toLocaleString('id-ID', { maximumFractionDigits: 1 })}%`;
}

export function number(value) {
  return (value ?? 0).toLocaleString('id-ID');
}
