/**
 * What the chat widget says, per locale: one entry per locale of the language registry
 * (languages.ts), so a language added there does not compile until the widget can speak it too,
 * and the widget speaks every language a bot may declare. `{count}` is replaced by a number.
 */
import type { Locale } from "./languages.ts";

export interface UiStrings {
  title: string;
  openChat: string;
  /** The launcher's label when messages came in while the panel was closed. */
  openChatUnread: string;
  closeChat: string;
  conversation: string;
  messageLabel: string;
  placeholder: string;
  send: string;
  you: string;
  bot: string;
  agent: string;
  typing: string;
  suggestedReplies: string;
  waitingForPerson: string;
  personJoined: string;
  botIsBack: string;
  sending: string;
  waitingForNetwork: string;
  notSent: string;
  connecting: string;
  connected: string;
  reconnecting: string;
  offline: string;
  unavailable: string;
}

export const UI_STRINGS = {
  en: {
    title: "Chat with us",
    openChat: "Open chat",
    openChatUnread: "Open chat, {count} unread",
    closeChat: "Close chat",
    conversation: "Conversation",
    messageLabel: "Message",
    placeholder: "Type a message…",
    send: "Send",
    you: "You",
    bot: "Assistant",
    agent: "Support agent",
    typing: "The assistant is typing…",
    suggestedReplies: "Suggested replies",
    waitingForPerson: "Waiting for a person to join…",
    personJoined: "A person has joined the conversation.",
    botIsBack: "You are chatting with the assistant again.",
    sending: "Sending…",
    waitingForNetwork: "Waiting for the network…",
    notSent: "Not sent",
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Reconnecting…",
    offline: "Offline: messages will be sent when you are back online",
    unavailable: "Chat is unavailable right now.",
  },
  zh: {
    title: "在线客服",
    openChat: "打开聊天",
    openChatUnread: "打开聊天，{count} 条未读",
    closeChat: "关闭聊天",
    conversation: "对话",
    messageLabel: "消息",
    placeholder: "请输入消息…",
    send: "发送",
    you: "您",
    bot: "智能助手",
    agent: "人工客服",
    typing: "助手正在输入…",
    suggestedReplies: "推荐回复",
    waitingForPerson: "正在等待人工客服加入…",
    personJoined: "人工客服已加入对话。",
    botIsBack: "您已回到智能助手对话。",
    sending: "发送中…",
    waitingForNetwork: "等待网络连接…",
    notSent: "未发送",
    connecting: "连接中…",
    connected: "已连接",
    reconnecting: "重新连接中…",
    offline: "网络已断开：恢复后将自动发送消息",
    unavailable: "聊天暂时不可用。",
  },
  es: {
    title: "Chatea con nosotros",
    openChat: "Abrir el chat",
    openChatUnread: "Abrir el chat, {count} sin leer",
    closeChat: "Cerrar el chat",
    conversation: "Conversación",
    messageLabel: "Mensaje",
    placeholder: "Escribe un mensaje…",
    send: "Enviar",
    you: "Tú",
    bot: "Asistente",
    agent: "Agente de soporte",
    typing: "El asistente está escribiendo…",
    suggestedReplies: "Respuestas sugeridas",
    waitingForPerson: "Esperando a que se una una persona…",
    personJoined: "Una persona se ha unido a la conversación.",
    botIsBack: "Vuelves a hablar con el asistente.",
    sending: "Enviando…",
    waitingForNetwork: "Esperando la red…",
    notSent: "No enviado",
    connecting: "Conectando…",
    connected: "Conectado",
    reconnecting: "Reconectando…",
    offline: "Sin conexión: los mensajes se enviarán cuando vuelvas a estar en línea",
    unavailable: "El chat no está disponible ahora.",
  },
} as const satisfies Record<Locale, UiStrings>;

export const UI_LOCALES = Object.keys(UI_STRINGS) as Locale[];

/** A string with `{count}` filled in. */
export function fillCount(template: string, count: number): string {
  return template.replace("{count}", String(count));
}
