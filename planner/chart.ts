// Cost versus traffic as an SVG: the plan's monthly bill per service and its cost per million
// messages, from 10 to 100,000 messages per second, with the shard count the plan needs marked.
import { SERVICES, type Service } from "./cost-model.ts";
import type { Plan } from "./plan.ts";

export interface ChartPoint {
  messagesPerSecond: number;
  plan: Plan;
}

/** Traffic points from `from` to `to`, 1-2-5 per decade. */
export function trafficSweep(from: number, to: number): number[] {
  const points: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(from)); decade <= to; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const value = step * decade;
      if (value >= from && value <= to) points.push(value);
    }
  }
  return points;
}

const COLORS: Record<Service | "total", string> = {
  total: "#111111",
  workers: "#f38020",
  durable_objects: "#2563eb",
  sqlite_storage: "#16a34a",
  queues: "#9333ea",
  analytics_engine: "#64748b",
  subscription: "#a3a3a3",
};

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const money = (value: number) => (value >= 1000 ? `$${(value / 1000).toLocaleString("en-US", { maximumFractionDigits: 1 })}k` : `$${value.toLocaleString("en-US", { maximumFractionDigits: 2 })}`);

export function costChartSvg(points: readonly ChartPoint[], subtitle: string): string {
  const width = 860;
  const panel = { left: 80, right: 200, top: 60, height: 260 };
  const lower = { top: panel.top + panel.height + 70, height: 160 };
  const plotWidth = width - panel.left - panel.right;
  const height = lower.top + lower.height + 70;
  const xs = points.map((p) => p.messagesPerSecond);
  const [xMin, xMax] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const x = (value: number) => panel.left + ((Math.log10(value) - xMin) / (xMax - xMin)) * plotWidth;

  const monthly = (p: ChartPoint, series: Service | "total") => (series === "total" ? p.plan.cost.total : p.plan.cost.byService[series]);
  const visible = (["total", ...SERVICES] as const).filter((series) => points.some((p) => monthly(p, series) > 0.005));
  const positive = points.flatMap((p) => visible.map((series) => monthly(p, series))).filter((v) => v > 0.005);
  const [yMin, yMax] = [Math.floor(Math.log10(Math.min(...positive))), Math.ceil(Math.log10(Math.max(...positive)))];
  const y = (value: number) => panel.top + panel.height - ((Math.log10(Math.max(value, 10 ** yMin)) - yMin) / (yMax - yMin)) * panel.height;

  const perMillion = points.map((p) => p.plan.cost.perMillionMessages);
  const pmMax = Math.max(...perMillion) * 1.1;
  const y2 = (value: number) => lower.top + lower.height - (value / pmMax) * lower.height;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${panel.left}" y="24" font-size="16" font-weight="600">Stratus on Cloudflare: monthly cost versus traffic</text>`,
    `<text x="${panel.left}" y="42" fill="#555">${escape(subtitle)}</text>`,
  );
  // Axes and grid of the upper panel (log-log).
  for (let e = yMin; e <= yMax; e++) {
    out.push(`<line x1="${panel.left}" x2="${panel.left + plotWidth}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${panel.left - 8}" y="${y(10 ** e) + 4}" text-anchor="end">${money(10 ** e)}</text>`);
  }
  for (let e = Math.ceil(xMin); e <= xMax; e++) {
    for (const [top, h] of [[panel.top, panel.height], [lower.top, lower.height]] as const) {
      out.push(`<line x1="${x(10 ** e)}" x2="${x(10 ** e)}" y1="${top}" y2="${top + h}" stroke="#e5e5e5"/>`);
    }
    out.push(`<text x="${x(10 ** e)}" y="${lower.top + lower.height + 18}" text-anchor="middle">${(10 ** e).toLocaleString("en-US")}</text>`);
  }
  out.push(`<text x="${panel.left + plotWidth / 2}" y="${lower.top + lower.height + 40}" text-anchor="middle">user messages per second (average)</text>`);
  out.push(`<text x="20" y="${panel.top + panel.height / 2}" transform="rotate(-90 20 ${panel.top + panel.height / 2})" text-anchor="middle">USD per month</text>`);
  for (const series of visible) {
    const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.messagesPerSecond).toFixed(1)},${y(monthly(p, series)).toFixed(1)}`).join(" ");
    out.push(`<path d="${path}" fill="none" stroke="${COLORS[series]}" stroke-width="${series === "total" ? 3 : 1.6}"/>`);
  }
  visible.forEach((series, i) => {
    const ly = panel.top + 10 + i * 18;
    out.push(`<line x1="${panel.left + plotWidth + 16}" x2="${panel.left + plotWidth + 36}" y1="${ly}" y2="${ly}" stroke="${COLORS[series]}" stroke-width="3"/>`);
    out.push(`<text x="${panel.left + plotWidth + 42}" y="${ly + 4}">${series.replace(/_/g, " ")}</text>`);
  });
  // Shard steps: where the plan needs one more shard per turn stage.
  let shards = 0;
  for (const p of points) {
    const needed = Math.max(1, ...p.plan.groups.flatMap((g) => Object.values(g.stages).map((stage) => stage.shards)));
    if (needed !== shards) {
      out.push(`<text x="${x(p.messagesPerSecond)}" y="${panel.top + panel.height + 16}" text-anchor="middle" fill="#9333ea">${needed}</text>`);
      shards = needed;
    }
  }
  out.push(`<text x="${panel.left + plotWidth + 16}" y="${panel.top + panel.height + 16}" fill="#9333ea">← shards per stage</text>`);
  // Lower panel: cost per million messages (linear).
  out.push(`<text x="${panel.left}" y="${lower.top - 12}" font-weight="600">USD per million messages</text>`);
  for (const fraction of [0, 0.5, 1]) {
    const value = (pmMax / 1.1) * fraction;
    out.push(`<line x1="${panel.left}" x2="${panel.left + plotWidth}" y1="${y2(value)}" y2="${y2(value)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${panel.left - 8}" y="${y2(value) + 4}" text-anchor="end">${money(value)}</text>`);
  }
  const pmPath = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.messagesPerSecond).toFixed(1)},${y2(p.plan.cost.perMillionMessages).toFixed(1)}`).join(" ");
  out.push(`<path d="${pmPath}" fill="none" stroke="#111111" stroke-width="2.5"/>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
