// Colours of tariffs and schedules. The CSS variables, with light and dark values, are defined
// on the editor's root in TouEditor.svelte; these counts are how many it defines, and colours
// repeat beyond them.
const TARIFF_COLOURS = 4;
const SCHEDULE_COLOURS = 6;

export function tariffColor(tariff: number): string {
  return tariff >= 1 ? `var(--tou-t${((tariff - 1) % TARIFF_COLOURS) + 1})` : "var(--border)";
}

export function scheduleColor(schedule: number): string {
  return schedule >= 1 ? `var(--tou-s${((schedule - 1) % SCHEDULE_COLOURS) + 1})` : "var(--border)";
}
