import { describe, expect, it } from "vitest";
import { conversationJurisdiction, newConversationId } from "./conversation-object.ts";
import { ConversationIdSchema } from "./schemas/conversation.ts";

describe("conversation ids and jurisdictions", () => {
  it("reads the jurisdiction from the id's prefix, and none from an unprefixed id", () => {
    expect(conversationJurisdiction(`eu-${"a".repeat(32)}`)).toBe("eu");
    expect(conversationJurisdiction(`fedramp-high-${"0".repeat(32)}`)).toBe("fedramp-high");
    expect(conversationJurisdiction("3f2a9c1e8b7d4f60a5e1c2b3d4e5f607")).toBeUndefined();
    expect(conversationJurisdiction(`mars-${"a".repeat(32)}`)).toBeUndefined();
  });

  it("makes ids every route accepts, old and new", () => {
    for (const id of [newConversationId(), newConversationId("eu"), newConversationId("fedramp-high")]) {
      expect(ConversationIdSchema.safeParse(id).success, id).toBe(true);
    }
    expect(newConversationId("eu")).toMatch(/^eu-[0-9a-f]{32}$/);
    expect(ConversationIdSchema.safeParse(`mars-${"a".repeat(32)}`).success).toBe(false);
    expect(ConversationIdSchema.safeParse(`eu-${"a".repeat(31)}`).success).toBe(false);
  });
});
