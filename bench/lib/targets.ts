// The targets, checked against the figures: each PASS or MISS with the figure beside it.
import type { IngestFigures } from "../ingest";
import type { ReadFigures } from "../read";

export type Target = { measure: string; figure: string; target: string; pass: boolean };

export const TARGETS = {
  ingestEventsPerSecond: 5_000,
  ingestShareOfRaw: 0.4,
  timelineP95Ms: 50,
  listP95Ms: 80,
  timesBare: 3,
};

export const int = (value: number) => Math.round(value).toLocaleString("en-US");
export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : int(value)} ms`;

export function evaluate(ingest: IngestFigures, read: ReadFigures): Target[] {
  const share = ingest.shiplog.eventsPerSecond / ingest.raw.eventsPerSecond;
  const times = (pair: ReadFigures["timeline"]) => pair.shiplog.p95 / pair.bare.p95;
  return [
    {
      measure: "Ingest, end to end",
      figure: `${int(ingest.shiplog.eventsPerSecond)} events/s`,
      target: `≥ ${int(TARGETS.ingestEventsPerSecond)} events/s`,
      pass: ingest.shiplog.eventsPerSecond >= TARGETS.ingestEventsPerSecond,
    },
    {
      measure: "Ingest vs raw batched writes",
      figure: `${(share * 100).toFixed(0)} % (raw: ${int(ingest.raw.eventsPerSecond)} events/s)`,
      target: `≥ ${TARGETS.ingestShareOfRaw * 100} %`,
      pass: share >= TARGETS.ingestShareOfRaw,
    },
    {
      measure: "Timeline p95",
      figure: ms(read.timeline.shiplog.p95),
      target: `≤ ${TARGETS.timelineP95Ms} ms`,
      pass: read.timeline.shiplog.p95 <= TARGETS.timelineP95Ms,
    },
    {
      measure: "Timeline p95 vs bare server",
      figure: `${times(read.timeline).toFixed(1)}× (bare: ${ms(read.timeline.bare.p95)})`,
      target: `≤ ${TARGETS.timesBare}×`,
      pass: times(read.timeline) <= TARGETS.timesBare,
    },
    {
      measure: "Commit list p95",
      figure: ms(read.list.shiplog.p95),
      target: `≤ ${TARGETS.listP95Ms} ms`,
      pass: read.list.shiplog.p95 <= TARGETS.listP95Ms,
    },
    {
      measure: "Commit list p95 vs bare server",
      figure: `${times(read.list).toFixed(1)}× (bare: ${ms(read.list.bare.p95)})`,
      target: `≤ ${TARGETS.timesBare}×`,
      pass: times(read.list) <= TARGETS.timesBare,
    },
  ];
}
