// The demo shop's own script (loaded before the widget): the page's language, from ?lang=, the
// visitor's earlier choice or the browser, set on <html lang> where the widget reads it; the
// shop's texts; and buttons that use the widget's command API (queued until the widget is ready).
window.Stratus = window.Stratus || function () { (window.Stratus.q = window.Stratus.q || []).push(arguments); };

const SHOP_TEXT = {
  en: {
    signOut: "Sign out", headline: "Gear for every weather", ask: "Ask about my order", products: "Popular this week",
    tagline: "Questions about an order, a return or a refund? Our assistant answers at once, day and night.",
    jacket: "Rain jacket", headphones: "Wireless headphones", shoes: "Running shoes", grinder: "Coffee grinder",
    demo: "A demo shop for the Stratus chatbot platform. Try order ORD-4820193.", unread: "new messages from support: ",
  },
  zh: {
    signOut: "退出登录", headline: "全天候装备", ask: "咨询我的订单", products: "本周热卖",
    tagline: "订单、退货或退款有疑问？智能助手全天候即时解答。",
    jacket: "雨衣", headphones: "无线耳机", shoes: "跑鞋", grinder: "咖啡研磨机",
    demo: "Stratus 聊天机器人平台的演示商店。试试订单 ORD-4820193。", unread: "客服新消息：",
  },
  es: {
    signOut: "Cerrar sesión", headline: "Equipo para cualquier clima", ask: "Preguntar por mi pedido", products: "Lo más vendido esta semana",
    tagline: "¿Dudas sobre un pedido, una devolución o un reembolso? Nuestro asistente responde al instante, de día y de noche.",
    jacket: "Chaqueta impermeable", headphones: "Auriculares inalámbricos", shoes: "Zapatillas de correr", grinder: "Molinillo de café",
    demo: "Una tienda de demostración de la plataforma de chatbots Stratus. Prueba el pedido ORD-4820193.", unread: "mensajes nuevos de soporte: ",
  },
};

function shopLanguage() {
  const asked = (new URLSearchParams(location.search).get("lang") ?? localStorage.getItem("shop:lang") ?? navigator.language ?? "").toLowerCase();
  return Object.keys(SHOP_TEXT).find((lang) => asked.startsWith(lang)) ?? "en";
}

let shopLang = shopLanguage();
document.documentElement.lang = shopLang;

function showShopText() {
  for (const element of document.querySelectorAll("[data-text]")) element.textContent = SHOP_TEXT[shopLang][element.dataset.text];
  for (const button of document.querySelectorAll("[data-lang]")) button.setAttribute("aria-pressed", String(button.dataset.lang === shopLang));
}

document.addEventListener("DOMContentLoaded", () => {
  showShopText();
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      shopLang = button.dataset.lang;
      localStorage.setItem("shop:lang", shopLang);
      document.documentElement.lang = shopLang;
      showShopText();
      window.Stratus("setLocale", shopLang);
    });
  }
  document.getElementById("ask").addEventListener("click", () => window.Stratus("open"));
  document.getElementById("sign-out").addEventListener("click", () => window.Stratus("reset"));
  const unread = document.getElementById("unread");
  window.Stratus("on", "unread", (count) => {
    unread.textContent = count > 0 ? `${SHOP_TEXT[shopLang].unread}${count}` : "";
  });
});
