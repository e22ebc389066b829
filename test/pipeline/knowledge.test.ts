// Answers from documents on the real runtime: a question the example shop's rules and FAQ do not
// cover goes through the gateway, the conversation object, the real NLU and the dialogue Worker,
// which answers from the index `npm run build:bots` made of bots/ecommerce/help/, quoting the
// section and naming its source; the transcript keeps the answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { readTranscript } from "../../devkit/transcript.ts";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus();
});
afterAll(() => stratus?.close());

describe("answers from documents", () => {
  it("quotes the shop's help page with its title and link, and keeps it in the transcript", async () => {
    const conversation = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
    const { replies } = await stratus.say(conversation, "Is Care+ worth adding, what does it cover?");
    const answer = replies.find((reply) => reply.response?.startsWith("doc:"));
    expect(answer?.response).toBe("doc:en/warranty#extended");
    expect(answer?.text).toContain("extends the warranty to 3 years");
    expect(answer?.text).toContain("Source: Warranty and repairs › Extended protection — https://demo-shop.example/help/en/warranty#extended");
    const transcript = await readTranscript(stratus, conversation);
    expect(transcript.find((message) => message.response === "doc:en/warranty#extended")?.text).toBe(answer?.text);
  });

  it("answers a Chinese question from the Chinese pages of a bot kept in the EU", async () => {
    const conversation = await stratus.createConversation({ bot: "health" });
    const { replies } = await stratus.say(conversation, "诊所可以停车吗");
    const answer = replies.find((reply) => reply.response?.startsWith("doc:"));
    expect(answer?.response).toBe("doc:zh/visiting#交通与停车");
    expect(answer?.text).toContain("20 个停车位");
    expect(answer?.text).toContain("来源: 来诊须知 › 交通与停车 — https://demo-health.example/help/zh/visiting#交通与停车");
  });
});
