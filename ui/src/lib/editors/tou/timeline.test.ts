import { describe, expect, it } from "vitest";
import type { Period } from "../../ipc";
import { describeSchedule, inAscendingOrder, nextFreeStart, timelineSegments } from "./timeline";

const UNUSED: Period = { hour: 0, minute: 0, tariff: 0 };
const at = (hour: number, minute: number, tariff: number): Period => ({ hour, minute, tariff });

describe("timelineSegments", () => {
  it("runs each period until the next one starts and the last one until midnight", () => {
    expect(timelineSegments([at(0, 0, 1), at(7, 0, 2), at(19, 0, 1), UNUSED])).toEqual([
      { start: 0, end: 420, tariff: 1, carried: false },
      { start: 420, end: 1140, tariff: 2, carried: false },
      { start: 1140, end: 1440, tariff: 1, carried: false },
    ]);
  });

  it("wraps the previous day's last period around to midnight when the day's first starts later", () => {
    expect(timelineSegments([at(6, 30, 2), at(22, 0, 3), UNUSED, UNUSED])).toEqual([
      { start: 0, end: 390, tariff: 3, carried: true },
      { start: 390, end: 1320, tariff: 2, carried: false },
      { start: 1320, end: 1440, tariff: 3, carried: false },
    ]);
  });

  it("draws periods listed out of order in start order", () => {
    expect(timelineSegments([at(19, 0, 3), UNUSED, at(7, 0, 2), at(0, 0, 1)])).toEqual([
      { start: 0, end: 420, tariff: 1, carried: false },
      { start: 420, end: 1140, tariff: 2, carried: false },
      { start: 1140, end: 1440, tariff: 3, carried: false },
    ]);
  });

  it("leaves out a period that lasts no time because another starts at the same minute", () => {
    expect(timelineSegments([at(0, 0, 1), at(8, 0, 2), at(8, 0, 4), UNUSED])).toEqual([
      { start: 0, end: 480, tariff: 1, carried: false },
      { start: 480, end: 1440, tariff: 4, carried: false },
    ]);
  });

  it("draws nothing for a schedule without used periods", () => {
    expect(timelineSegments([UNUSED, UNUSED, UNUSED, UNUSED])).toEqual([]);
  });
});

describe("inAscendingOrder", () => {
  it("ignores unused periods and accepts strictly ascending starts", () => {
    expect(inAscendingOrder([at(0, 0, 1), UNUSED, at(7, 0, 2), at(19, 30, 1)])).toBe(true);
  });

  it("flags starts out of order or repeated", () => {
    expect(inAscendingOrder([at(7, 0, 2), at(0, 0, 1), UNUSED, UNUSED])).toBe(false);
    expect(inAscendingOrder([at(7, 0, 2), at(7, 0, 1), UNUSED, UNUSED])).toBe(false);
  });
});

describe("describeSchedule", () => {
  it("names each stretch of the day with its tariff", () => {
    expect(describeSchedule(2, [at(0, 0, 1), at(7, 0, 2), at(19, 0, 1), UNUSED])).toBe(
      "Schedule 2: 00:00–07:00 T1, 07:00–19:00 T2, 19:00–24:00 T1",
    );
  });

  it("says where the previous day's period goes on", () => {
    expect(describeSchedule(3, [at(8, 0, 2), at(20, 0, 1), UNUSED, UNUSED])).toBe(
      "Schedule 3: 00:00–08:00 T1 (continued from the previous day), 08:00–20:00 T2, 20:00–24:00 T1",
    );
  });

  it("says when no period is set", () => {
    expect(describeSchedule(4, [UNUSED, UNUSED, UNUSED, UNUSED])).toBe("Schedule 4: no periods set");
  });
});

describe("nextFreeStart", () => {
  it("starts a newly used period an hour after the latest start, within the day", () => {
    expect(nextFreeStart([at(0, 0, 1), at(7, 30, 2), UNUSED, UNUSED])).toEqual({ hour: 8, minute: 0 });
    expect(nextFreeStart([at(23, 15, 1), UNUSED, UNUSED, UNUSED])).toEqual({ hour: 23, minute: 0 });
    expect(nextFreeStart([UNUSED, UNUSED, UNUSED, UNUSED])).toEqual({ hour: 0, minute: 0 });
  });
});
