/**
 * Metric names for PromQL written in ops/, checked against the catalogue by the type system: a
 * renamed or removed metric breaks the build of the alert rules and the dashboard.
 */
import type { CounterName, GaugeName, HistogramName } from "../../shared/metrics/catalogue.ts";

export const counter = <N extends CounterName>(name: N): N => name;
export const gauge = <N extends GaugeName>(name: N): N => name;
export const bucket = <N extends HistogramName>(name: N): `${N}_bucket` => `${name}_bucket`;
export const histogramSum = <N extends HistogramName>(name: N): `${N}_sum` => `${name}_sum`;
export const histogramCount = <N extends HistogramName>(name: N): `${N}_count` => `${name}_count`;
