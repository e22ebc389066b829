// The keyword rules of the agents-SDK bot `npm run bench:load` compares Stratus with
// (agents-bot.ts): the simplest bot a user could write instead of ours — a list of keywords per
// answer, first match wins, one fallback. It answers what bench/load-run.ts sends (greetings, an
// order, shipping, returns, a price, opening hours, thanks) in English, Chinese and Spanish.
// Nothing here runs in production.

export interface RuleReply {
  /** The answer's name, as a Stratus bot names its responses (the load client checks them for duplicates). */
  response: string;
  text: string;
}

interface Rule {
  response: string;
  /** Lower-case substrings of the user's text; any one matches. */
  keywords: string[];
  text: Record<string, string>;
}

const RULES: Rule[] = [
  {
    response: "greet",
    keywords: ["hello", "hi ", "hola", "你好"],
    text: { en: "Hello! How can I help?", es: "¡Hola! ¿En qué puedo ayudar?", zh: "你好！有什么可以帮您？" },
  },
  {
    response: "order_status",
    keywords: ["order", "pedido", "订单"],
    text: { en: "Your order is on its way.", es: "Tu pedido está en camino.", zh: "您的订单正在配送中。" },
  },
  {
    response: "shipping",
    keywords: ["shipping", "envío", "envio", "运费"],
    text: { en: "Shipping takes 3 to 5 days.", es: "El envío tarda de 3 a 5 días.", zh: "配送需要3到5天。" },
  },
  {
    response: "returns",
    keywords: ["return", "devol", "退货"],
    text: { en: "You can return anything within 30 days.", es: "Puedes devolver cualquier cosa en 30 días.", zh: "30天内可以退货。" },
  },
  {
    response: "price",
    keywords: ["price", "precio", "股价", "价格"],
    text: { en: "AAPL trades at 190.12.", es: "AAPL cotiza a 190,12.", zh: "AAPL的股价是190.12。" },
  },
  {
    response: "hours",
    keywords: ["hours", "horario", "营业"],
    text: { en: "We are open 9 to 5, Monday to Friday.", es: "Abrimos de 9 a 17, de lunes a viernes.", zh: "周一至周五9点到17点营业。" },
  },
  {
    response: "thanks",
    keywords: ["thank", "gracias", "谢谢"],
    text: { en: "You're welcome!", es: "¡De nada!", zh: "不客气！" },
  },
];

const FALLBACK: Rule = {
  response: "fallback",
  keywords: [],
  text: { en: "Sorry, I did not understand.", es: "Lo siento, no entendí.", zh: "抱歉，我没有听懂。" },
};

/** The first rule whose keyword the text contains, in the conversation's locale (English when the bot has no such locale). */
export function ruleReply(text: string, locale: string): RuleReply {
  const lower = `${text.toLowerCase()} `;
  const rule = RULES.find((candidate) => candidate.keywords.some((keyword) => lower.includes(keyword))) ?? FALLBACK;
  return { response: rule.response, text: rule.text[locale] ?? rule.text.en ?? "" };
}
