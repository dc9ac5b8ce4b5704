// Invented readings for the display preview. The API cannot read what the meter measures for
// this purpose, so the preview shows plausible sample numbers, the same every time for the same
// item (people compare screenshots and tests compare text), and says that they are samples.
import type { LcdItemInfo } from "../../ipc";

interface SampleScale {
  /** The value shown for the first item of this kind. */
  base: number;
  /** Added per item code, so that two items of one unit do not show the same number. */
  step: number;
  decimals: number;
}

// Keyed by the units of limits.lcd_items; an unknown unit falls back to a plain count.
const BY_UNIT: Record<string, SampleScale> = {
  kWh: { base: 1834.2, step: 97.3, decimals: 1 },
  kVARh: { base: 412.6, step: 11.9, decimals: 1 },
  W: { base: 1180, step: 46, decimals: 0 },
  VAR: { base: 214, step: 9, decimals: 0 },
  V: { base: 119.6, step: 0.4, decimals: 1 },
  A: { base: 8.2, step: 0.7, decimals: 1 },
  Hz: { base: 59.98, step: 0, decimals: 2 },
};

// Unitless items differ by kind: a power factor is a ratio, a pulse count a whole number.
const POWER_FACTOR: SampleScale = { base: 0.99, step: -0.01, decimals: 2 };
const COUNT: SampleScale = { base: 3120, step: 517, decimals: 0 };
const POWER_FACTOR_GROUP = "Power factor";

/** A sample reading for `item`, without its unit, e.g. "120.4". */
export function sampleReading(item: LcdItemInfo): string {
  const scale =
    BY_UNIT[item.unit] ?? (item.unit === "" && item.group === POWER_FACTOR_GROUP ? POWER_FACTOR : COUNT);
  // A small cycle keeps every sample near its base value whatever the code is.
  const variant = item.code % 4;
  return (scale.base + scale.step * variant).toFixed(scale.decimals);
}
