// GetTariffData counts months back from the one in progress: index 0 is the current calendar
// month, 1 the month before, and so on (ASSUMPTION G29, after ekmmeters' readMonthTariffs). The
// payload carries no dates, so names are computed from today's date.

/** The first day of the month `index` months before `today`'s month. */
export function monthAgo(index: number, today: Date): Date {
  return new Date(today.getFullYear(), today.getMonth() - index, 1);
}

const MONTH_STYLES: Record<"long" | "medium" | "short", Intl.DateTimeFormatOptions> = {
  long: { month: "long", year: "numeric" },
  medium: { month: "short", year: "numeric" },
  short: { month: "short" },
};

export function monthName(index: number, today: Date, style: keyof typeof MONTH_STYLES): string {
  return new Intl.DateTimeFormat(undefined, MONTH_STYLES[style]).format(monthAgo(index, today));
}

const KWH = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A kWh value with one decimal, or a dash where the payload had none. */
export function showKwh(value: number | undefined): string {
  return value === undefined ? "–" : KWH.format(value);
}
