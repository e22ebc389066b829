// What `npx stratus init` writes into a new bot, per language: a small assistant that greets,
// answers three FAQ questions, takes a contact request in a form (an email address, the built-in
// `email` entity), hands off to a person and falls back politely. Its conversation tests use
// sentences of its own training data and FAQ, so a new bot passes them at once; its holdout
// paraphrases are written apart from the training data, so `npx stratus test nlu` measures something.
import type { Locale } from "../../shared/schemas/nlu.ts";

export const TEMPLATE_INTENTS = [
  "greet",
  "goodbye",
  "thanks",
  "affirm",
  "deny",
  "human_handoff",
  "contact_request",
  "ask_faq",
  "out_of_scope",
] as const;
export type TemplateIntent = (typeof TEMPLATE_INTENTS)[number];

export const TEMPLATE_RESPONSES = [
  "utter_greet",
  "utter_goodbye",
  "utter_youre_welcome",
  "utter_anything_else",
  "utter_ask_email",
  "utter_invalid_email",
  "utter_contact_confirmed",
  "utter_form_cancelled",
  "utter_rephrase",
  "utter_offer_human",
  "utter_human_declined",
  "utter_handoff",
] as const;
export type TemplateResponse = (typeof TEMPLATE_RESPONSES)[number];

export const TEMPLATE_FAQ = ["opening_hours", "location", "capabilities"] as const;
export type TemplateFaqEntry = (typeof TEMPLATE_FAQ)[number];

type Response = string | string[] | { text: string | string[]; quickReplies: string[] };

/** The sentences one conversation test of a language uses (each is in the training data or the FAQ). */
interface TestSentences {
  name: string;
  greet: string;
  faqOpeningHours: string;
  contactRequest: string;
  /** An answer to the email question that carries an email address… */
  emailAnswer: string;
  /** …and that address, as the slot keeps it. */
  email: string;
  /** The second test: an answer that is no email address (nor anything else the bot knows), then a cancel. */
  invalidName: string;
  notAnEmail: string;
  /** The third test: a request for a person. */
  handoffName: string;
  handoff: string;
}

export interface TemplateLanguage {
  examples: Record<TemplateIntent, string[]>;
  holdout: Record<TemplateIntent, string[]>;
  responses: Record<TemplateResponse, Response>;
  faq: Record<TemplateFaqEntry, { questions: string[]; answer: string }>;
  /** Whole messages that abandon the contact form. */
  cancelWords: string[];
  test: TestSentences;
}

const en: TemplateLanguage = {
  examples: {
    greet: ["hi", "hello", "hey", "hello there", "good morning", "good afternoon", "good evening", "hi there", "hey there", "greetings", "howdy", "hiya", "hello, anyone there?", "hi, i have a question", "yo"],
    goodbye: ["bye", "goodbye", "see you", "see you later", "bye bye", "that's all, bye", "good night", "talk to you later", "have a nice day", "i'm done", "gotta go", "bye for now", "cya", "ok, bye"],
    thanks: ["thanks", "thank you", "thanks a lot", "thank you so much", "thx", "ty", "cheers", "appreciate it", "great, thanks", "many thanks", "much appreciated", "thanks for the help", "thank u"],
    affirm: ["yes", "yeah", "yep", "sure", "ok", "okay", "of course", "yes please", "please do", "go ahead", "correct", "that's right", "sounds good", "definitely", "absolutely", "yup"],
    deny: ["no", "nope", "nah", "no thanks", "not really", "no need", "not now", "i don't think so", "no, thank you", "never mind", "no, that's fine", "not today", "wrong", "incorrect"],
    human_handoff: ["talk to a human", "i want to speak to a person", "can i talk to someone", "connect me to an agent", "real person please", "human please", "get me a human", "speak to customer service", "transfer me to an agent", "i need a real person", "is there a human i can talk to", "operator"],
    contact_request: ["please contact me", "can someone contact me", "i'd like someone to get in touch", "please call me back", "i want a callback", "have someone email me", "can you get back to me", "please get in touch with me", "can a member of your team reach out to me", "i want someone to write to me", "i'd like to leave my contact details", "request a call back", "could you email me", "reach out to me please"],
    ask_faq: ["when are you open", "what are your opening hours", "what time do you close", "are you open on weekends", "where are you located", "what is your address", "where can i find you", "how do i get to your office", "what can you do", "what can you help me with", "what do you do", "what are your hours", "where is your shop", "when do you open tomorrow"],
    out_of_scope: ["what's the weather like", "tell me a joke", "what is the meaning of life", "who won the game last night", "can you book me a flight", "sing me a song", "do you like pizza", "order me a taxi", "what's the capital of france", "how old is the universe"],
  },
  holdout: {
    greet: ["heya", "good day to you", "hello hello", "morning!"],
    goodbye: ["catch you later", "farewell", "i'm off, bye", "see ya"],
    thanks: ["thanks a bunch", "really appreciate your help", "thank you kindly"],
    affirm: ["yes that's it", "alright", "sure thing"],
    deny: ["no way", "not at all", "nope, not needed"],
    human_handoff: ["let me chat with a real human", "put me through to a person", "i'd rather talk to an agent"],
    contact_request: ["i'd like to be contacted", "can somebody reach me by email", "please follow up with me"],
    ask_faq: ["are you open on sunday", "what's your address", "how can you help me", "what time do you open"],
    out_of_scope: ["recommend a good movie", "how tall is mount everest", "play some music"],
  },
  responses: {
    utter_greet: {
      text: ["Hi! I'm {bot_name}. I can tell you our opening hours and where to find us, or arrange for someone to contact you.", "Hello! Ask me about our opening hours or address, or ask for someone to get in touch."],
      quickReplies: ["Opening hours", "Contact me", "Talk to a person"],
    },
    utter_goodbye: ["Goodbye!", "Bye, have a nice day!"],
    utter_youre_welcome: ["You're welcome!", "Glad I could help."],
    utter_anything_else: "Okay. Anything else I can help with?",
    utter_ask_email: "Sure. Which email address should we write to?",
    utter_invalid_email: "That doesn't look like an email address. Please type it like name@example.com, or say cancel.",
    utter_contact_confirmed: "Thanks! Someone from the team will write to {email} within one business day.",
    utter_form_cancelled: "Okay, I won't take your details. What else can I do for you?",
    utter_rephrase: ["Sorry, I didn't get that. Could you put it another way?", "I'm not sure what you mean. Could you rephrase?"],
    utter_offer_human: { text: "I'm still not getting it, sorry. Shall I connect you with a person?", quickReplies: ["Yes, please", "No, thanks"] },
    utter_human_declined: "Okay. You can ask me about our opening hours or address, or ask for someone to contact you.",
    utter_handoff: "I'm connecting you with a person. Someone will reply here shortly.",
  },
  faq: {
    opening_hours: {
      questions: ["when are you open", "what are your opening hours", "what time do you close", "are you open on weekends", "what are your hours"],
      answer: "We're open Monday to Friday, 9:00 to 17:00, and closed on weekends and public holidays.",
    },
    location: {
      questions: ["where are you located", "what is your address", "where can i find you", "how do i get to your office"],
      answer: "You'll find us at 1 Example Street, Springfield, next to the station.",
    },
    capabilities: {
      questions: ["what can you do", "what can you help me with", "what do you do"],
      answer: "I can tell you our opening hours and where to find us, or arrange for someone from the team to contact you. Say \"human\" at any time to talk to a person.",
    },
  },
  cancelWords: ["cancel", "stop", "never mind", "forget it"],
  test: {
    name: "greets, answers a question and takes a contact request",
    greet: "hello",
    faqOpeningHours: "what are your opening hours",
    contactRequest: "please contact me",
    emailAnswer: "it's jane@example.com",
    email: "jane@example.com",
    invalidName: "asks again for an invalid address, then cancels",
    notAnEmail: "purple",
    handoffName: "hands off to a person",
    handoff: "talk to a human",
  },
};

const zh: TemplateLanguage = {
  examples: {
    greet: ["你好", "您好", "嗨", "哈喽", "早上好", "下午好", "晚上好", "在吗", "有人吗", "你好呀", "您好，我想咨询一下", "喂", "早安", "你好，请问"],
    goodbye: ["再见", "拜拜", "下次见", "回头见", "先这样", "没事了，再见", "晚安", "拜", "就这些了", "好的再见", "不聊了", "先走了", "再会"],
    thanks: ["谢谢", "谢谢你", "多谢", "非常感谢", "感谢", "谢啦", "太感谢了", "好的谢谢", "谢了", "辛苦了", "感谢帮忙", "谢谢您"],
    affirm: ["是", "是的", "对", "好", "好的", "可以", "行", "嗯", "没问题", "当然", "好啊", "没错", "对的", "确定"],
    deny: ["不", "不是", "不要", "不用", "不用了", "不需要", "没有", "不了", "暂时不用", "不对", "还是算了", "不必了"],
    human_handoff: ["转人工", "人工客服", "我要找真人", "找个人跟我说", "转接客服", "我想和工作人员聊", "有没有人工", "帮我转人工服务", "真人客服", "让客服来"],
    contact_request: ["请联系我", "能不能有人联系我", "请给我回电话", "我想要回电", "让人给我发邮件", "有空联系我一下", "能回个电话吗", "请你们的人联系我", "我想留下联系方式", "帮我安排回访"],
    ask_faq: ["你们几点开门", "营业时间是什么", "你们几点关门", "周末营业吗", "你们在哪里", "地址是什么", "怎么去你们那里", "你能做什么", "你可以帮我什么", "你们的营业时间", "店在哪", "明天几点开门"],
    out_of_scope: ["今天天气怎么样", "讲个笑话", "人生的意义是什么", "帮我订机票", "唱首歌", "你喜欢吃披萨吗", "帮我叫出租车", "法国的首都是哪里", "昨晚比赛谁赢了"],
  },
  holdout: {
    greet: ["你好啊", "大家好", "在不在"],
    goodbye: ["那就再见了", "回聊", "拜拜啦"],
    thanks: ["万分感谢", "多谢帮忙", "感激不尽"],
    affirm: ["嗯嗯", "好嘞", "就这样吧"],
    deny: ["不用麻烦了", "不想要", "并不是"],
    human_handoff: ["能不能找个真人", "我想跟人工聊聊", "请转接工作人员"],
    contact_request: ["请尽快联系我", "可以发邮件给我吗", "希望有人跟进一下"],
    ask_faq: ["周日开门吗", "你们的地址在哪", "你有什么功能"],
    out_of_scope: ["推荐一部电影", "珠穆朗玛峰有多高", "放点音乐"],
  },
  responses: {
    utter_greet: {
      text: ["您好！我是{bot_name}。我可以告诉您营业时间和地址，也可以安排工作人员联系您。", "您好！可以问我营业时间、地址，或请工作人员联系您。"],
      quickReplies: ["营业时间", "请联系我", "转人工"],
    },
    utter_goodbye: ["再见！", "再见，祝您愉快！"],
    utter_youre_welcome: ["不客气！", "很高兴能帮到您。"],
    utter_anything_else: "好的。还有什么可以帮您？",
    utter_ask_email: "好的。请问我们发邮件到哪个邮箱？",
    utter_invalid_email: "这看起来不像邮箱地址，请按 name@example.com 的格式输入，或说“取消”。",
    utter_contact_confirmed: "谢谢！工作人员会在一个工作日内发邮件到 {email}。",
    utter_form_cancelled: "好的，不记录您的联系方式了。还有什么可以帮您？",
    utter_rephrase: ["抱歉，我没有理解，能换个说法吗？", "不太明白您的意思，可以再说一遍吗？"],
    utter_offer_human: { text: "抱歉我还是没能理解。需要为您转接人工吗？", quickReplies: ["好的", "不用了"] },
    utter_human_declined: "好的。您可以问我营业时间、地址，或请工作人员联系您。",
    utter_handoff: "正在为您转接人工，请稍候，工作人员会在这里回复您。",
  },
  faq: {
    opening_hours: {
      questions: ["你们几点开门", "营业时间是什么", "你们几点关门", "周末营业吗"],
      answer: "我们周一至周五 9:00–17:00 营业，周末和法定节假日休息。",
    },
    location: {
      questions: ["你们在哪里", "地址是什么", "怎么去你们那里"],
      answer: "我们位于示例市示例街 1 号，车站旁边。",
    },
    capabilities: {
      questions: ["你能做什么", "你可以帮我什么"],
      answer: "我可以告诉您营业时间和地址，也可以安排工作人员联系您。随时说“转人工”即可与真人交流。",
    },
  },
  cancelWords: ["取消", "算了", "不用了"],
  test: {
    name: "问候、问答与联系请求",
    greet: "你好",
    faqOpeningHours: "营业时间是什么",
    contactRequest: "请联系我",
    emailAnswer: "我的邮箱是 li@example.com",
    email: "li@example.com",
    invalidName: "无效的邮箱，然后取消",
    notAnEmail: "紫色",
    handoffName: "转人工",
    handoff: "转人工",
  },
};

const es: TemplateLanguage = {
  examples: {
    greet: ["hola", "buenos días", "buenas tardes", "buenas noches", "hola, qué tal", "buenas", "¿hay alguien?", "saludos", "hola, tengo una pregunta", "qué onda", "holi", "ey, hola"],
    goodbye: ["adiós", "chao", "hasta luego", "nos vemos", "hasta pronto", "hasta mañana", "eso es todo, adiós", "me voy", "que tengas buen día", "bueno, me despido", "chau", "hasta la próxima"],
    thanks: ["gracias", "muchas gracias", "mil gracias", "te lo agradezco", "muy amable", "genial, gracias", "gracias por la ayuda", "muchísimas gracias", "se agradece", "gracias de verdad", "te agradezco mucho"],
    affirm: ["sí", "si", "claro", "vale", "de acuerdo", "por supuesto", "sí, por favor", "adelante", "correcto", "exacto", "perfecto", "está bien", "sí, claro", "okey"],
    deny: ["no", "no, gracias", "para nada", "no hace falta", "ahora no", "no creo", "negativo", "no, está bien así", "incorrecto", "no es eso", "nop", "todavía no", "tampoco"],
    human_handoff: ["quiero hablar con una persona", "pásame con un agente", "hablar con un humano", "necesito un asesor", "comunícame con atención al cliente", "quiero un agente real", "¿puedo hablar con alguien?", "persona real, por favor", "transfiéreme a un agente", "operador"],
    contact_request: ["por favor, contáctenme", "pueden contactarme", "quiero que me llamen", "necesito que alguien me escriba", "pueden devolverme la llamada", "me gustaría que se pusieran en contacto conmigo", "envíenme un correo", "quiero dejar mis datos de contacto", "que alguien me contacte", "llámenme, por favor"],
    ask_faq: ["¿a qué hora abren?", "¿cuál es el horario?", "¿a qué hora cierran?", "¿abren los fines de semana?", "¿dónde están?", "¿cuál es la dirección?", "¿cómo llego a su oficina?", "¿qué puedes hacer?", "¿en qué me puedes ayudar?", "horario de atención", "¿dónde queda la tienda?", "¿abren mañana?"],
    out_of_scope: ["¿qué tiempo hace hoy?", "cuéntame un chiste", "¿cuál es el sentido de la vida?", "resérvame un vuelo", "cántame una canción", "¿te gusta la pizza?", "pídeme un taxi", "¿cuál es la capital de Francia?", "¿quién ganó el partido anoche?"],
  },
  holdout: {
    greet: ["hola, hola", "muy buenos días", "buen día"],
    goodbye: ["nos vemos luego", "me tengo que ir", "adiós a todos"],
    thanks: ["gracias por todo", "muy agradecido", "mil gracias por tu ayuda"],
    affirm: ["sí, así es", "claro que sí", "dale"],
    deny: ["no, de ninguna manera", "no lo necesito", "no por ahora"],
    human_handoff: ["prefiero hablar con un humano", "ponme con una persona de verdad", "quiero que me atienda alguien"],
    contact_request: ["me pueden escribir por correo", "quisiera que me contacten", "que alguien me dé seguimiento"],
    ask_faq: ["¿abren el domingo?", "¿cuál es su dirección?", "¿qué sabes hacer?"],
    out_of_scope: ["recomiéndame una película", "¿cuánto mide el Everest?", "pon música"],
  },
  responses: {
    utter_greet: {
      text: ["¡Hola! Soy {bot_name}. Puedo decirte nuestro horario y dónde encontrarnos, o pedir que alguien se ponga en contacto contigo.", "¡Hola! Pregúntame por el horario o la dirección, o pide que alguien te contacte."],
      quickReplies: ["Horario", "Contáctenme", "Hablar con una persona"],
    },
    utter_goodbye: ["¡Adiós!", "¡Hasta luego, que tengas un buen día!"],
    utter_youre_welcome: ["¡De nada!", "Me alegra haber ayudado."],
    utter_anything_else: "De acuerdo. ¿Te puedo ayudar con algo más?",
    utter_ask_email: "Claro. ¿A qué correo electrónico te escribimos?",
    utter_invalid_email: "Eso no parece un correo electrónico. Escríbelo como nombre@example.com, o di cancelar.",
    utter_contact_confirmed: "¡Gracias! Alguien del equipo te escribirá a {email} en un día hábil.",
    utter_form_cancelled: "De acuerdo, no guardo tus datos. ¿En qué más te puedo ayudar?",
    utter_rephrase: ["Perdona, no te entendí. ¿Puedes decirlo de otra forma?", "No estoy seguro de lo que quieres decir. ¿Puedes reformularlo?"],
    utter_offer_human: { text: "Lo siento, sigo sin entenderte. ¿Te comunico con una persona?", quickReplies: ["Sí, por favor", "No, gracias"] },
    utter_human_declined: "De acuerdo. Puedes preguntarme por el horario o la dirección, o pedir que alguien te contacte.",
    utter_handoff: "Te comunico con una persona. Alguien te responderá aquí en breve.",
  },
  faq: {
    opening_hours: {
      questions: ["¿a qué hora abren?", "¿cuál es el horario?", "¿a qué hora cierran?", "¿abren los fines de semana?"],
      answer: "Abrimos de lunes a viernes, de 9:00 a 17:00; los fines de semana y festivos está cerrado.",
    },
    location: {
      questions: ["¿dónde están?", "¿cuál es la dirección?", "¿cómo llego a su oficina?"],
      answer: "Estamos en la calle Ejemplo 1, Springfield, junto a la estación.",
    },
    capabilities: {
      questions: ["¿qué puedes hacer?", "¿en qué me puedes ayudar?"],
      answer: "Puedo decirte nuestro horario y dónde encontrarnos, o pedir que alguien del equipo te contacte. Di \"persona\" en cualquier momento para hablar con alguien.",
    },
  },
  cancelWords: ["cancelar", "olvídalo", "déjalo"],
  test: {
    name: "saluda, responde una pregunta y toma una solicitud de contacto",
    greet: "hola",
    faqOpeningHours: "¿cuál es el horario?",
    contactRequest: "por favor, contáctenme",
    emailAnswer: "mi correo es ana@example.com",
    email: "ana@example.com",
    invalidName: "pide de nuevo un correo inválido y cancela",
    notAnEmail: "morado",
    handoffName: "pasa a una persona",
    handoff: "quiero hablar con una persona",
  },
};

/** The languages `init` can write a bot in (a language of shared/languages/ without an entry here is refused, naming these). */
export const TEMPLATE_LANGUAGES: Partial<Record<Locale, TemplateLanguage>> = { en, zh, es };
