/**
 * The languages the platform knows, as data. A locale code (`en`, `zh`, `es`) is a key of LANGUAGES;
 * every schema, engine and detector reads what it needs about a language from here. Adding a language
 * means adding an entry (and, if it has any, word lists for the NLU's number/money/date extractors in
 * workers/intent/src/nlu/entities/languages/).
 *
 * Relative imports carry `.ts` so Node-run CLIs (type stripping, no bundler) can load this file.
 */
import type { ScriptName } from "./scripts.ts";

export interface Language {
  /** English name, as prompts name the language ("Answer in Spanish"). */
  englishName: string;
  /** The language's own name, as a language picker shows it. */
  nativeName: string;
  /** Intl locale for numbers, money and dates in replies. */
  intlLocale: string;
  /** The script its letters are written in (shared/languages/scripts.ts). */
  script: ScriptName;
  /**
   * How text splits into tokens: `words` are separated by spaces and punctuation; `characters`
   * languages write without spaces, so every character is a token (n-grams recover words).
   */
  segmentation: "words" | "characters";
  /** How a boolean slot reads in a reply. */
  yesNo: readonly [yes: string, no: string];
  /**
   * Frequent function words of the language (locale detection), lowercase, written with and without
   * accents when people type both. A word several languages share ("no", "ok") is listed in each of
   * them, and then tells none of them apart.
   */
  commonWords: readonly string[];
  /** Punctuation only this language uses (Spanish ¿ ¡), also evidence for locale detection. */
  punctuation: string;
  /** Words (for `characters` languages: characters) that FAQ retrieval ignores. */
  faqStopWords: readonly string[];
  /** What a user is told when the pipeline could not produce an answer (a bot may define its own). */
  pipelineFallback: string;
  /** Said in front of a form's question when it resumes after a side question (a bot may define its own). */
  formResume: string;
  /**
   * Asks whether a free-words answer meant a value; `{value}` is the value's label (a bot may define
   * its own), offered with `confirmQuickReplies` (yes, no).
   */
  slotConfirm: string;
  confirmQuickReplies: readonly [yes: string, no: string];
  /**
   * For a language whose questions often go without a question mark (Chinese; Spanish typed
   * without ¿ and ?): what marks a message as a question all the same — a question word (in a
   * language written in words, a whole word as written: Spanish accents its question words, "dónde"
   * but "donde"), or a particle that ends it — unless an `indefinite` word turns the question word
   * into "any" (什么时候都行, "any time is fine"). Without it, only punctuation marks a question.
   */
  questionWords?: { words: readonly string[]; finalParticles: readonly string[]; indefinite: readonly string[] };
  /**
   * Phrases with which a user drops what they were doing before asking for something else ("never
   * mind that, what's Apple trading at?", "算了，还是帮我预约个门诊吧"), lowercase. The drop words pull
   * the whole message towards a no, so the NLU also classifies what follows the first of them alone
   * (workers/intent/src/nlu/parse.ts `afterDrop`), and a form's cancel word that is one of them counts
   * inside a longer message though it is one word ("olvídalo", "nvm"; forms.ts). Only phrases that
   * drop a task: not "mejor no" ("mejor no lo canceles" keeps one), not a bare "no" or "cancel".
   */
  dropPhrases: readonly string[];
  /**
   * How a user starts saying what they will do themselves rather than asking the bot ("I'll ask my
   * doctor", "我去问医生"), lowercase: what follows a drop phrase and starts so is no new request
   * ("算了算了，我去问医生" is no booking, though the words after the drop read as one).
   */
  ownPlans: readonly string[];
  /**
   * How a user says they are correcting what they said before ("oh wait make that 15000", "不对 应该是5年"),
   * lowercase: a number in such a message that the question asked cannot take corrects the number
   * answered before it (workers/dialogue/src/engine/forms.ts `correctedEarlierAnswer`).
   */
  correctionPhrases: readonly string[];
  /**
   * Sounds that fill a pause and say nothing ("umm uhh", "嗯嗯啊啊"), lowercase words (single
   * characters in Chinese): a message of two different ones and nothing else is not understood,
   * whatever the classifier makes of it (workers/intent/src/nlu/parse.ts). One alone, repeated or
   * not ("嗯嗯", "hmm"), is left to the classifier: it is often a yes.
   */
  fillers: readonly string[];
  /**
   * How a user starts turning an offer or a yes/no question down ("nah im good", "不用了谢谢"),
   * lowercase: a message that starts so is a no, whatever else the NLU hears in it
   * (workers/dialogue/src/engine/yes-no.ts).
   */
  declines: readonly string[];
  /** How a user starts saying yes to a question that takes one ("ya", "sure", "好，帮我转"), lowercase (engine/yes-no.ts). */
  accepts: readonly string[];
  /** Words that only open a sentence, passed over before a yes or a no ("actually no leave it", "那就算了"), lowercase. */
  openers: readonly string[];
  /**
   * Laughter ("hahaha", "哈哈哈", "jajaja", "lol"), lowercase: a syllable said twice or more, or a word.
   * A message of laughter and nothing else is not understood, whatever the classifier makes of it
   * (it hears 哈哈哈 as a greeting): workers/intent/src/nlu/parse.ts.
   */
  laughter: { syllables: readonly string[]; words: readonly string[] };
}

const words = (list: string): readonly string[] => list.split(/\s+/).filter((word) => word !== "");

export const LANGUAGES = {
  en: {
    englishName: "English",
    nativeName: "English",
    intlLocale: "en-US",
    script: "Latin",
    segmentation: "words",
    yesNo: ["yes", "no"],
    commonWords: words(`
      the an is are was were be been am i my we our you your it its this that these those to of in on at for with
      by from and or but not don't dont do does did can can't could would should will won't have has had what what's
      which who how when where where's why there here please hi hello hey thanks thank yes yeah just any some get got
      want need know tell about still yet already if so up out they them their he she his her it's i'm i'd i've no ok okay`),
    punctuation: "",
    // The last line: chat spellings of the same words ("wat helps a sore throte"), which the FAQ would
    // otherwise weigh as unknown words, the heaviest kind.
    faqStopWords: words(`
      a an the is are was were be been am i me my we our you your it its this that these those to of in on at for
      with by from and or but do does did can could would should will shall may might what which who whom how
      when where why there here please hi hello hey about any some get got have has had want need know tell
      u ur r ya wat wut wht whats hw pls plz`),
    pipelineFallback: "Sorry, I'm having trouble answering right now. Please try again in a moment.",
    formResume: "Back to where we were:",
    slotConfirm: "That sounds like “{value}” — is that right?",
    confirmQuickReplies: ["Yes", "No"],
    dropPhrases: ["never mind", "nevermind", "nvm", "forget it", "forget that", "forget about it", "scratch that", "forget the", "forget my", "forget about the", "forget about my", "skip that", "skip it", "skip this"],
    ownPlans: ["i'll", "i will", "ill ", "i'm going to", "im going to", "i am going to", "let me", "i can"],
    correctionPhrases: ["make that", "make it", "i meant", "i mean", "change it to", "change that to", "should be", "should have said", "correction", "typo"],
    fillers: words("um umm ummm uh uhh uhhh uhm er erm hmm hmmm ah ahh eh oh"),
    declines: ["no", "nah", "nope", "no thanks", "not really", "not now", "i'm good", "im good", "i'm ok", "im ok", "i'm fine", "im fine"],
    accepts: ["yes", "yeah", "yep", "yup", "ya", "yea", "yes please", "sure", "ok", "okay", "please do", "go ahead", "do it", "alright", "of course", "definitely"],
    openers: ["actually", "well", "so", "hold on", "wait", "oh", "ok so", "hmm ok"],
    laughter: { syllables: ["ha", "he"], words: words("lol lolol lmao lmfao rofl xd") },
  },
  zh: {
    englishName: "Simplified Chinese",
    nativeName: "中文",
    intlLocale: "zh-CN",
    script: "Han",
    segmentation: "characters",
    yesNo: ["是", "否"],
    commonWords: [..."的了吗呢吧是我你他她们这那个在有和就都也要"],
    punctuation: "",
    faqStopWords: [..."的了吗呢吧啊呀是我你他她它们么这那个在有和就都也要会能请问"],
    pipelineFallback: "抱歉，我暂时无法回答，请稍后再试。",
    formResume: "我们接着刚才的话题：",
    slotConfirm: "您的意思是“{value}”，对吗？",
    confirmQuickReplies: ["对", "不对"],
    dropPhrases: ["算了", "不用了", "不查了", "不退了", "不问了", "不约了", "不弄了", "不办了", "不测了", "不买了"],
    ownPlans: ["我去", "我自己", "我再去", "我先去", "我回头"],
    correctionPhrases: ["应该是", "改成", "改为", "我是说", "说错了", "写错了", "打错了", "发错了", "不对"],
    fillers: [..."嗯啊哦呃额唔噢哎诶欸"],
    // Not 不要: "不要机器人" asks for a person.
    declines: ["不用", "不了", "没事", "不必", "算了"],
    // Not 是, 对 or 要 alone: they open other sentences ("对了，…", "要不要…").
    accepts: ["好", "行", "可以", "是的", "对的", "没问题", "麻烦了", "转吧"],
    openers: ["那就", "那", "其实", "哦", "嗯", "啊"],
    laughter: { syllables: [..."哈呵嘿嘻"], words: [] },
    questionWords: {
      words: words("什么 怎么 怎样 为什么 为何 哪里 哪儿 哪个 哪些 多少 多久 几点 几天 如何 是否 能否 能不能 可不可以 有没有 是不是 会不会"),
      finalParticles: [..."吗呢么"],
      indefinite: [..."都也"],
    },
  },
  es: {
    englishName: "Spanish",
    nativeName: "Español",
    intlLocale: "es-419",
    script: "Latin",
    segmentation: "words",
    yesNo: ["sí", "no"],
    commonWords: words(`
      el la los las un una unos unas de del al en y e o u que qué es son está esta están estoy estás ser soy eres fue era
      mi mis tu tus su sus te se lo le les nos por para con sin como cómo cuál cual cuándo cuando dónde donde quién
      quien porque pero muy más mas ya aún todavía todavia hay hola gracias sí puedo puede quiero necesito tengo tiene
      favor este ese eso esto esa también tambien usted ustedes mí nada algo ahora hoy bien buenas buenos no ok okey`),
    punctuation: "¿¡",
    faqStopWords: words(`
      el la los las un una unos unas de del al a y e o u que qué es son está están ser mi mis tu tus su sus me te se
      lo le les nos por para con sin como cómo cuál cual cuándo cuando dónde donde quién quien hay hola puedo puede
      quiero necesito saber tengo tiene este esta esto ese esa eso`),
    pipelineFallback: "Lo siento, ahora mismo tengo problemas para responder. Vuelve a intentarlo en un momento.",
    formResume: "Volvamos a lo que estábamos:",
    slotConfirm: "Parece que es «{value}». ¿Es así?",
    confirmQuickReplies: ["Sí", "No"],
    dropPhrases: ["olvídalo", "olvidalo", "olvida eso", "déjalo", "dejalo", "no importa", "olvida la", "olvida el", "olvídate de", "olvidate de"],
    ownPlans: ["voy a", "ya lo", "yo lo", "lo miro", "luego lo", "me voy"],
    correctionPhrases: ["quise decir", "quería decir", "queria decir", "cámbialo a", "cambialo a", "me equivoqué", "me equivoque", "corrijo"],
    fillers: words("eh em emm mmm este ah oh"),
    declines: ["no", "nop", "nel", "mejor no", "ahorita no", "ahora no", "estoy bien"],
    accepts: ["sí", "si", "claro", "vale", "dale", "ok", "okey", "va", "sale", "por favor", "de acuerdo", "sí porfa", "si porfa"],
    openers: ["pues", "bueno", "oye", "a ver", "este"],
    laughter: { syllables: ["ja", "je"], words: words("xd jsjs") },
    // Accented, these ask ("¿dónde está?"); "qué" is left out, as often an exclamation ("qué mala calidad").
    questionWords: { words: words("dónde cuándo cómo cuál cuáles quién quiénes cuánto cuánta cuántos cuántas"), finalParticles: [], indefinite: [] },
  },
} as const satisfies Record<string, Language>;

/** A locale the platform knows: a key of LANGUAGES. */
export type Locale = keyof typeof LANGUAGES;

/** Every known locale, in the registry's order (the order used where no bot says otherwise). */
export const LOCALES = Object.keys(LANGUAGES) as [Locale, ...Locale[]];

export function languageOf(locale: Locale): Language {
  return LANGUAGES[locale];
}

export function isLocale(value: string): value is Locale {
  return Object.hasOwn(LANGUAGES, value);
}

/**
 * The entries of a per-locale map (`{ en: …, es: … }`), in the registry's order whatever the order of
 * the file's keys, so that everything built from them (training, reports) is deterministic.
 */
export function localeEntries<Value>(map: Partial<Record<Locale, Value>>): Array<[Locale, Value]> {
  const entries: Array<[Locale, Value]> = [];
  for (const locale of LOCALES) {
    const value = map[locale];
    if (value !== undefined) entries.push([locale, value]);
  }
  return entries;
}
