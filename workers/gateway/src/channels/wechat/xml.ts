/**
 * WeChat's message bodies are small flat XML documents (`<xml><ToUserName>…</ToUserName>…</xml>`),
 * read with fast-xml-parser (pure JavaScript: it runs on workerd). Every value stays a string (MsgId
 * is a 64-bit number, beyond a double's exact range), and a document with a DOCTYPE is refused: a
 * WeChat message never has one, and entity declarations are how XML bodies blow up.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ChannelPayloadError } from "../errors.ts";

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true, htmlEntities: false });

/** The children of the root `<xml>` element, each as text. */
export function parseWeChatXml(text: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new ChannelPayloadError("the WeChat message declares a DOCTYPE");
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ChannelPayloadError(`the WeChat message is not well-formed XML (line ${valid.err.line})`);
  const document: unknown = parser.parse(text);
  const root = typeof document === "object" && document !== null ? (document as Record<string, unknown>).xml : undefined;
  if (typeof root !== "object" || root === null || Array.isArray(root)) throw new ChannelPayloadError("the WeChat message has no <xml> root element");
  return root as Record<string, unknown>;
}
