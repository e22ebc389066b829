/**
 * A static HTML page that draws the dashboard's panels (dashboard.ts) from Prometheus query_range
 * results, as small SVG line charts in the dashboard's rows. For the picture docs/operations.md shows of the
 * dashboard where no Grafana is installed: it shows the dashboard's own queries on real data, in
 * a layout of its own; it is not Grafana.
 */
import type { DashboardPanel, DashboardRow } from "./dashboard.ts";

/** One line of a panel: its legend and its [unix seconds, value] points. */
export interface PreviewSeries {
  legend: string;
  points: [number, number][];
}

export interface PreviewPanel {
  panel: DashboardPanel;
  series: PreviewSeries[];
}

const COLORS = ["#7eb26d", "#eab839", "#6ed0e0", "#ef843c", "#e24d42", "#1f78c1", "#ba43a9", "#705da0", "#508642", "#cca300"];
const WIDTH = 420;
const HEIGHT = 170;
const escape = (text: string): string => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

function formatValue(value: number, unit: string): string {
  if (unit === "percentunit") return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
  if (unit === "s") return value < 1 ? `${(value * 1000).toFixed(value < 0.01 ? 1 : 0)} ms` : `${value.toFixed(1)} s`;
  const suffix = unit === "cps" ? "/s" : unit === "reqps" ? " req/s" : "";
  return `${value >= 10 ? value.toFixed(0) : value.toPrecision(2)}${suffix}`;
}

function chart({ panel, series }: PreviewPanel): string {
  const all = series.flatMap((one) => one.points);
  const times = all.map(([time]) => time);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  let top = 0;
  if (panel.stacked) {
    const totals = new Map<number, number>();
    for (const [time, value] of all) totals.set(time, (totals.get(time) ?? 0) + value);
    top = Math.max(0, ...totals.values());
  } else top = Math.max(0, ...all.map(([, value]) => value));
  top = top === 0 ? 1 : top * 1.1;
  const x = (time: number): number => (t1 === t0 ? 0 : ((time - t0) / (t1 - t0)) * WIDTH);
  const y = (value: number): number => HEIGHT - (value / top) * HEIGHT;
  const base = new Map<number, number>();
  const lines = series.map((one, index) => {
    const color = COLORS[index % COLORS.length] ?? "#888";
    const path = one.points
      .map(([time, value]) => {
        const below = panel.stacked ? (base.get(time) ?? 0) : 0;
        if (panel.stacked) base.set(time, below + value);
        return `${x(time).toFixed(1)},${y(below + value).toFixed(1)}`;
      })
      .join(" ");
    return `<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${path}"/>`;
  });
  const grid = [0.25, 0.5, 0.75, 1].map(
    (f) =>
      `<line x1="0" x2="${WIDTH}" y1="${y(top * f).toFixed(1)}" y2="${y(top * f).toFixed(1)}" class="grid"/>` +
      `<text x="2" y="${(y(top * f) + 11).toFixed(1)}" class="axis">${escape(formatValue((top * f) / 1.1, panel.unit))}</text>`,
  );
  const legend = series
    .slice(0, 8)
    .map((one, index) => `<span><i style="background:${COLORS[index % COLORS.length] ?? "#888"}"></i>${escape(one.legend)}</span>`)
    .join("");
  return `<section class="panel"><h3 title="${escape(panel.description)}">${escape(panel.title)}</h3>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none">${grid.join("")}${lines.join("")}</svg>
<div class="legend">${legend}${series.length > 8 ? `<span>+${series.length - 8} more</span>` : ""}</div></section>`;
}

export function previewPage(rows: readonly { row: DashboardRow; panels: PreviewPanel[] }[], caption: string): string {
  const body = rows
    .map(({ row, panels }) => `<h2>${escape(row.title)}</h2><div class="row cols-${panels.length % 4 === 0 ? 4 : 3}">${panels.map(chart).join("")}</div>`)
    .join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>Stratus dashboard preview</title><style>
body{margin:0;padding:16px 20px;background:#111217;color:#ccccdc;font:13px/1.35 system-ui,sans-serif;width:1560px}
header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:1px solid #2c3235;padding-bottom:8px}
header h1{font-size:18px;margin:0;color:#fff} header p{margin:0;color:#e0b400}
h2{font-size:14px;color:#fff;margin:18px 0 8px}
.row{display:grid;gap:10px}.cols-4{grid-template-columns:repeat(4,1fr)}.cols-3{grid-template-columns:repeat(3,1fr)}
.panel{background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:8px 10px}
.panel h3{font-size:13px;margin:0 0 6px;color:#d8d9da;font-weight:500}
svg{width:100%;height:150px;display:block}.grid{stroke:#2c3235;stroke-width:1}.axis{fill:#8e8e8e;font-size:10px}
.legend{display:flex;flex-wrap:wrap;gap:4px 12px;margin-top:6px;font-size:11px;color:#a0a0a8}
.legend i{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}
</style></head><body><header><h1>Stratus</h1><p>${escape(caption)}</p></header>
${body}</body></html>`;
}
