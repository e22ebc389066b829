// `npm run bench:load [-- --conversations 50 --messages 10 --fault-rate 0.1]`
// Many conversations at once, each sending its messages back to back, with a share of messages
// that make a stage fail once (retried by the queue) or duplicate a delivery. Then it checks the
// promise that matters: every user message answered exactly once, in order, nothing lost.
// Runs the real Workers on workerd (the test harness, fault injection on); loopback only.
import { parseArgs } from "node:util";
import { startStratus, type ConversationHandle, type Reply } from "../devkit/local-stack.ts";
import { readTranscript, waitForTranscript } from "../devkit/transcript.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { percentile, round } from "./stats.ts";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "50" },
    messages: { type: "string", default: "10" },
    "fault-rate": { type: "string", default: "0.1" },
  },
});
const conversations = Number(values.conversations);
const messagesEach = Number(values.messages);
const faultRate = Number(values["fault-rate"]);
const TEXTS = ["hello", "where is my order ORD-4820193", "how long does shipping take", "thanks", "你好", "我的订单到哪了", "退货"];
const FAULTS = ["#fail-intent-once", "#fail-dialogue-once", "#dup-dialogue"];

// Deterministic choice of which messages carry a fault, so runs are comparable.
let seed = 42;
const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

const stratus = await startStratus();
try {
  const handles: ConversationHandle[] = [];
  for (let i = 0; i < conversations; i++) handles.push(await stratus.createConversation());

  const latencies: number[] = [];
  let faultsInjected = 0;
  let notAnsweredInWait = 0;
  const started = performance.now();
  await Promise.all(
    handles.map(async (conversation, c) => {
      for (let m = 0; m < messagesEach; m++) {
        let text = TEXTS[(c + m) % TEXTS.length] ?? "hello";
        if (random() < faultRate) {
          text += ` ${FAULTS[faultsInjected % FAULTS.length]}`;
          faultsInjected++;
        }
        const sent = performance.now();
        const response = await stratus.fetch(`/v1/conversations/${conversation.id}/messages?wait=30`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${conversation.token}` },
          body: JSON.stringify({ text, clientMessageId: `load-${c}-${m}` }),
        });
        if (response.status === 200) latencies.push(performance.now() - sent);
        else notAnsweredInWait++;
        await response.body?.cancel();
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;

  // Verification: every conversation's transcript, after everything has settled.
  let lost = 0;
  let answeredTwice = 0;
  let outOfOrder = 0;
  let fallbacks = 0;
  for (const conversation of handles) {
    const transcript = await waitForTranscript(
      stratus,
      conversation,
      (messages) => new Set(messages.filter((m) => m.role === "bot").map((m) => m.replyTo)).size >= messagesEach,
      60_000,
    ).catch(() => readTranscript(stratus, conversation));
    const users = transcript.filter((m) => m.role === "user");
    const bots = transcript.filter((m) => m.role === "bot");
    lost += messagesEach - users.length;
    for (const user of users) {
      const replies = bots.filter((b) => b.replyTo === user.seq);
      if (replies.length === 0) lost++;
      const keys = replies.map((r: Reply) => `${r.response}:${r.text}`);
      if (new Set(keys).size !== keys.length) answeredTwice++;
      fallbacks += replies.filter((r) => r.response === "stratus_pipeline_fallback").length;
    }
    const order = bots.map((b) => b.replyTo ?? 0);
    if (order.some((value, i) => i > 0 && value < (order[i - 1] ?? 0))) outOfOrder++;
  }

  const turns = conversations * messagesEach;
  const result = {
    conversations,
    messages_per_conversation: messagesEach,
    turns,
    faults_injected: faultsInjected,
    elapsed_s: round(elapsedS, 2),
    turns_per_s: round(turns / elapsedS),
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
    not_answered_within_wait: notAnsweredInWait,
    lost,
    answered_twice: answeredTwice,
    conversations_out_of_order: outOfOrder,
    fallback_replies: fallbacks,
    machine: machineDescription(),
    measured_at: new Date().toISOString(),
  };
  writeBenchResults(
    "load",
    result,
    `# Load and fault run (local workerd)\n\n${conversations} conversations at once, ${messagesEach} messages each sent back to back with ` +
      `\`?wait=30\`; ${faultsInjected} messages carried an injected fault (a stage failing once, or a duplicated delivery).\n\n` +
      `| turns | turns/s | p50 | p95 | p99 | lost | answered twice | out of order | fallbacks |\n|---|---|---|---|---|---|---|---|---|\n` +
      `| ${turns} | ${result.turns_per_s} | ${result.p50_ms} ms | ${result.p95_ms} ms | ${result.p99_ms} ms | ${lost} | ${answeredTwice} | ${outOfOrder} | ${fallbacks} |\n\n` +
      `Machine: ${result.machine}. Measured ${result.measured_at}. One workerd process on 2 cores: this measures correctness under ` +
      `concurrency and local overhead, not Cloudflare's capacity.\n`,
  );
  if (lost > 0 || answeredTwice > 0 || outOfOrder > 0) process.exitCode = 1;
} finally {
  await stratus.close();
}
