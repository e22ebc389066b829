// `npm run ops:preview`: draws the Grafana dashboard's own panel queries from a real Prometheus
// scraping a real local stack, in headless Chromium, and saves the picture docs/operations.md shows
// (docs/images/dashboard-preview.png). There is no Grafana here: the page is a preview of the
// dashboard's queries on live data, not Grafana. Needs Debian's `prometheus` and `chromium`.
//
// About two minutes: steady chat on the three bots, with two rounds of every kind of traffic the
// dashboard shows (faults, handoffs, forms, backend failures, a flood) along the way.
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startDemoServices } from "../demo/services.ts";
import { TEST_ACTION_KEYS } from "../devkit/action-keys.ts";
import { METRICS_TOKEN, ROOT, startStratus } from "../devkit/local-stack.ts";
import { sendObservabilityTraffic } from "../devkit/observability-traffic.ts";
import { prometheusTools, startPrometheus } from "../devkit/prometheus.ts";
import { DASHBOARD_ROWS, grafanaQuery } from "../ops/src/dashboard.ts";
import { previewPage, type PreviewPanel } from "../ops/src/preview-page.ts";

const OUTPUT = join(ROOT, "docs/images/dashboard-preview.png");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const STEADY_SECONDS = 100;

const found = prometheusTools();
if ("skip" in found) {
  console.error(found.skip);
  process.exit(1);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
const stratus = await startStratus({
  gatewayVars: { TURN_TIMEOUT_MS: "2000", MAX_TURN_ATTEMPTS: "2" },
  dialogueVars: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url, HEALTH_API_URL: demo.url },
});
const prometheus = await startPrometheus(found.tools, { targetUrl: stratus.url, metricsToken: METRICS_TOKEN });
const sockets = [];
try {
  const start = Date.now() / 1000;
  console.log(`stack ${stratus.url}, prometheus ${prometheus.url}; sending traffic for ${STEADY_SECONDS} s`);
  // One conversation per bot, in turn (creating conversations has its own rate limit).
  const steady = (async () => {
    const texts: Record<string, string[]> = {
      ecommerce: ["hello", "where is my order ORD-4820193", "how long does shipping take", "thanks", "我的订单到哪了"],
      finance: ["hello", "what is the price of AAPL", "should I buy bitcoin", "thanks", "你好"],
      health: ["hi", "I want to book an appointment", "I have a headache", "thanks", "你好"],
    };
    const conversations = await Promise.all(Object.keys(texts).map((bot) => stratus.createConversation({ bot })));
    for (let turn = 0; Date.now() / 1000 - start < STEADY_SECONDS; turn++) {
      const conversation = conversations[turn % conversations.length];
      const said = conversation ? texts[conversation.bot] : undefined;
      if (conversation && said) await stratus.say(conversation, said[Math.floor(turn / 3) % said.length] ?? "hello").catch(() => undefined);
      await sleep(150);
    }
  })();
  await sleep(15_000);
  sockets.push(...(await sendObservabilityTraffic(stratus)).sockets);
  await sleep(35_000);
  sockets.push(...(await sendObservabilityTraffic(stratus)).sockets);
  await steady;
  await sleep(3_000);

  const end = Date.now() / 1000;
  const rows = [];
  for (const row of DASHBOARD_ROWS) {
    const panels: PreviewPanel[] = [];
    for (const panel of row.panels) {
      const series = [];
      for (const query of panel.queries) {
        for (const result of await prometheus.queryRange(grafanaQuery(query.expr, "30s"), start, end, 2)) {
          const points = (result.values ?? []).map(([time, value]): [number, number] => [time, Number(value)]).filter(([, value]) => Number.isFinite(value));
          // Series written at 0 and never counted (a status no request had) are left out of the picture.
          if (!points.some(([, value]) => value > 0)) continue;
          series.push({ legend: query.legend.replaceAll(/\{\{(\w+)\}\}/g, (_, label: string) => result.metric[label] ?? ""), points });
        }
      }
      panels.push({ panel, series });
    }
    rows.push({ row, panels });
  }
  const caption = "Preview of the Grafana dashboard's panel queries (ops/grafana/stratus-dashboard.json), drawn from a real Prometheus scraping the local stack — not Grafana";
  const page = join(tmpdir(), `stratus-dashboard-preview-${process.pid}.html`);
  writeFileSync(page, previewPage(rows, caption));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  try {
    const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await tab.goto(`file://${page}`);
    mkdirSync(join(ROOT, "docs/images"), { recursive: true });
    await tab.screenshot({ path: OUTPUT, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${OUTPUT}`);
} finally {
  for (const socket of sockets) socket.close();
  await prometheus.stop();
  await stratus.close();
  await demo.close();
}
