/**
 * Spanish word lists and patterns for the built-in extractors (Spain and Latin America), on
 * normalised text: diacritics are folded, so "mañana" / "manana" and "miércoles" / "miercoles" both match.
 *
 * Conventions: "el próximo viernes" / "el viernes que viene" is the first Friday after today, "este
 * viernes" this week's, "el viernes de la semana que viene" next week's, "el viernes pasado" the last
 * one before today; "mañana" is tomorrow except in "por/de la mañana" (the morning); numeric dates are
 * day first (15/03); in digits, a separator followed by exactly three digits groups thousands
 * ("1.250" and "1,250" are 1250), otherwise it is the decimal point ("20,50" and "20.50" are 20.5).
 * Not read: amounts spelled with cents ("veinte euros con cincuenta"), a bare "pesos" (whose peso?),
 * "$" as a peso (it is read as USD, as in every language), ordinal words other than "primero".
 */
import { addDays } from "../calendar.ts";
import { adjacentWeekday, checked, monthDay, relative, type RelativeUnit, weekdayDate } from "../date-rules.ts";
import { safeNumber } from "../safe-number.ts";
import type { DateResolution, LanguageExtractors } from "./types.ts";

const VALUES: Record<string, number> = {
  cero: 0, uno: 1, un: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9,
  diez: 10, once: 11, doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, diecisiete: 17, dieciocho: 18,
  diecinueve: 19, veinte: 20, veintiuno: 21, veintiun: 21, veintiuna: 21, veintidos: 22, veintitres: 23,
  veinticuatro: 24, veinticinco: 25, veintiseis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29,
  treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90,
  cien: 100, ciento: 100, doscientos: 200, doscientas: 200, trescientos: 300, trescientas: 300,
  cuatrocientos: 400, cuatrocientas: 400, quinientos: 500, quinientas: 500, seiscientos: 600, seiscientas: 600,
  setecientos: 700, setecientas: 700, ochocientos: 800, ochocientas: 800, novecientos: 900, novecientas: 900,
};

const UNIT = "uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve";
const TEEN = "diez|once|doce|trece|catorce|quince|dieciseis|diecisiete|dieciocho|diecinueve";
const VEINTI = `veinti(?:uno|una|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)`;
const TENS = "veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa";
const HUNDRED = "ciento|cien|(?:dos|tres|cuatro|seis|sete|ocho|nove)cient[oa]s|quinient[oa]s";
const BELOW_100 = `(?:(?:${TENS})(?:\\s+y\\s+(?:${UNIT}|una|un))?|${VEINTI}|${TEEN}|${UNIT})`;
const BELOW_1000 = `(?:(?:${HUNDRED})(?:\\s+${BELOW_100})?|${BELOW_100})`;
const THOUSANDS = `(?:(?:${BELOW_1000}\\s+)?mil(?:\\s+${BELOW_1000})?|${BELOW_1000})`;
/** A number in words; "un"/"una" alone are articles ("un pedido"), numbers only in "un millón". */
const NUMBER_WORDS = `(?:(?:(?:${THOUSANDS}|un)\\s+)?(?:millones|millon)(?:\\s+${THOUSANDS})?|${THOUSANDS}|cero)`;

/** "doscientos treinta y cinco" → 235, "dos mil millones" → 2e9; undefined for anything else. */
export function parseSpanishNumber(words: string): number | undefined {
  let millions = 0;
  let thousands = 0;
  let current = 0;
  let seen = false;
  for (const word of words.toLowerCase().split(/[\s-]+/)) {
    if (word === "y" || word === "") continue;
    const value = VALUES[word];
    if (value !== undefined) current += value;
    else if (word === "mil") {
      thousands += (current === 0 ? 1 : current) * 1000;
      current = 0;
    } else if (word === "millon" || word === "millones") {
      millions += (thousands + current === 0 ? 1 : thousands + current) * 1e6;
      thousands = 0;
      current = 0;
    } else return undefined;
    seen = true;
  }
  return seen ? safeNumber(millions + thousands + current) : undefined;
}

/**
 * "1.250,50", "1,250.50", "20,50", "1.000.000": a separator followed by exactly three digits groups
 * thousands (unless the part before it is 0: "0,125"), the last other one is the decimal point.
 */
function parseSpanishDigits(raw: string): number | undefined {
  const parts = raw.split(/[.,]/);
  const separators = raw.replace(/[^.,]/g, "");
  if (separators.length === 0) return safeNumber(Number(raw));
  const lastPart = parts[parts.length - 1] ?? "";
  const lastSeparator = separators[separators.length - 1];
  const mixed = new Set(separators).size === 2;
  const grouping = !mixed && (separators.length > 1 || (lastPart.length === 3 && parts[0] !== "0"));
  const integerParts = grouping ? parts : parts.slice(0, -1);
  const fraction = grouping ? "" : lastPart;
  if (mixed && separators.slice(0, -1).includes(lastSeparator ?? "")) return undefined;
  if (integerParts.length > 1 && (!/^\d{1,3}$/.test(integerParts[0] ?? "") || integerParts.slice(1).some((part) => part.length !== 3))) return undefined;
  return safeNumber(Number(`${integerParts.join("")}${fraction === "" ? "" : `.${fraction}`}`));
}

const MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
const MONTH = "(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)";
const WEEKDAYS = ["lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"];
const RELATIVE_DAYS: Record<string, number> = {
  "pasado manana": 2, "antes de ayer": -2, anteayer: -2, antier: -2, hoy: 0, "esta noche": 0, "esta manana": 0,
  "esta tarde": 0, manana: 1, ayer: -1,
};
const UNITS: Record<string, RelativeUnit> = { minuto: "minute", hora: "hour", dia: "day", semana: "week", mes: "month" };
const AMOUNT = `(\\d+|${NUMBER_WORDS}|una|un|media|medio)`;
const HOUR = `(\\d{1,2}|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)`;
const MINUTE = `\\d{1,2}|${BELOW_100}`;

function amountOf(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === "media" || text === "medio") return 0.5;
  return parseSpanishNumber(text);
}

function unitOf(word: string): RelativeUnit {
  return UNITS[word] ?? UNITS[word.replace(/s$/, "")] ?? UNITS[word.replace(/es$/, "")] ?? "day";
}

function weekdayResolution(m: RegExpMatchArray, today: Parameters<typeof addDays>[0]): DateResolution {
  const index = WEEKDAYS.indexOf(m[2] ?? "");
  const prefix = m[1];
  const suffix = (m[3] ?? "").replace(/\s+/g, " ");
  if (suffix.startsWith("de la")) return { date: weekdayDate(today, index, 1) };
  if (prefix === "proximo" || suffix === "proximo" || suffix === "que viene") return { date: adjacentWeekday(today, index, 1) };
  if (prefix === "pasado" || suffix === "pasado") return { date: adjacentWeekday(today, index, -1) };
  return { date: weekdayDate(today, index, prefix === "este" ? 0 : undefined) };
}

/** The hour on a 24-hour clock after "de la tarde" (1–11 → 13–23), "de la noche" (6–11 → 18–23, 12 → 0), "del mediodía", "de la madrugada". */
function withPeriod(hour: number, period: string | undefined): number {
  if (period === "tarde") return hour >= 1 && hour < 12 ? hour + 12 : hour;
  if (period === "noche") return hour === 12 ? 0 : hour >= 6 && hour < 12 ? hour + 12 : hour;
  if (period === "mediodia") return hour < 6 ? hour + 12 : hour;
  if (period === "madrugada") return hour === 12 ? 0 : hour;
  return hour;
}

export const es: LanguageExtractors = {
  numberWords: { standalone: `\\b${NUMBER_WORDS}\\b`, beforeCurrency: `\\b${NUMBER_WORDS}`, parse: parseSpanishNumber },
  digits: { source: "\\d+(?:[.,]\\d+)*", parse: parseSpanishDigits },
  money: {
    words: {
      euro: "EUR", euros: "EUR", "€": "EUR", dolar: "USD", dolares: "USD", "dolares americanos": "USD",
      "peso mexicano": "MXN", "pesos mexicanos": "MXN", "peso argentino": "ARS", "pesos argentinos": "ARS",
      "peso colombiano": "COP", "pesos colombianos": "COP", "peso chileno": "CLP", "pesos chilenos": "CLP",
      mxn: "MXN", ars: "ARS", cop: "COP", clp: "CLP", "libra esterlina": "GBP", "libras esterlinas": "GBP",
      yen: "JPY", yenes: "JPY", yuan: "CNY", yuanes: "CNY",
    },
    connectors: ["de"],
    amountSuffixes: { k: 1e3 },
  },
  dates: [
    [/\b(pasado\s+manana|antes\s+de\s+ayer|anteayer|antier|hoy|esta\s+noche|esta\s+manana|esta\s+tarde|(?<!\bla\s+)manana|ayer)(?:\s+(?:por|en)\s+la\s+(noche|tarde|manana))?\b/gu,
      (m, today) => {
        const said = (m[1] ?? "").replace(/\s+/g, " ");
        return { date: addDays(today, RELATIVE_DAYS[said] ?? 0), evening: said === "esta noche" || m[2] === "noche" || m[2] === "tarde" || said === "esta tarde" };
      }],
    [/\b(?:(?:el|los)\s+)?(?:(proximo|este|pasado)\s+)?(lunes|martes|miercoles|jueves|viernes|sabado|domingo)(?:\s+(que\s+viene|proximo|pasado|de\s+la\s+semana\s+que\s+viene|de\s+la\s+proxima\s+semana))?\b/gu,
      weekdayResolution],
    [new RegExp(`\\b(?:en|dentro\\s+de)\\s+${AMOUNT}\\s+(minutos?|horas?|dias?|semanas?|mes(?:es)?)\\b|\\bhace\\s+${AMOUNT}\\s+(minutos?|horas?|dias?|semanas?|mes(?:es)?)\\b`, "gu"),
      (m, today) => {
        const amount = amountOf(m[1] ?? m[3] ?? "");
        if (amount === undefined) return undefined;
        return relative(today, amount * (m[3] === undefined ? 1 : -1), unitOf(m[2] ?? m[4] ?? ""));
      }],
    [new RegExp(`\\b(?:el\\s+)?(\\d{1,2}|primero|${BELOW_100})(?:º|°|ro)?\\s+de\\s+${MONTH}(?:\\s+(?:de|del)\\s+(\\d{4}))?\\b`, "gu"),
      (m, today) => {
        const day = m[1] === "primero" ? 1 : /^\d+$/.test(m[1] ?? "") ? Number(m[1]) : parseSpanishNumber(m[1] ?? "");
        const month = m[2] === "setiembre" ? 9 : MONTHS.indexOf(m[2] ?? "") + 1;
        return day === undefined ? undefined : monthDay(today, month, day, m[3]);
      }],
    // Day first, as Spanish speakers write it: 15/03, 15/03/2026, 15-03-2026.
    [/\b(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?\b|\b(\d{1,2})-(\d{1,2})-(\d{4})\b/gu,
      (m, today) => {
        if (m[4] !== undefined) return checked({ year: Number(m[6]), month: Number(m[5]), day: Number(m[4]) });
        return monthDay(today, Number(m[2]), Number(m[1]), m[3] && m[3].length === 2 ? `20${m[3]}` : m[3]);
      }],
  ],
  times: [
    // "a las 3", "para las 3 y media de la tarde", "a las 4 menos cuarto", "a la una", "a las 15:30 h"; the
    // preposition is required ("devolver las dos camisas" is no time).
    [new RegExp(
      `\\b(?:a|para|desde|hasta|antes\\s+de|despues\\s+de|sobre)\\s+las?\\s+${HOUR}(?::([0-5]\\d)|\\s+y\\s+(media|cuarto|${MINUTE})|\\s+menos\\s+(cuarto|${MINUTE}))?` +
        `(?:\\s+(?:de\\s+la\\s+(manana|tarde|noche|madrugada)|del\\s+(mediodia)|en\\s+punto))?(?:\\s*(?:h|hrs|horas)\\b)?`,
      "gu",
    ), (m) => {
      const hour = amountOf(m[1] ?? "");
      if (hour === undefined) return undefined;
      let minute = m[2] !== undefined ? Number(m[2]) : 0;
      if (m[3] !== undefined) minute = m[3] === "media" ? 30 : m[3] === "cuarto" ? 15 : (amountOf(m[3]) ?? 0);
      let shifted = hour;
      if (m[4] !== undefined) {
        minute = 60 - (m[4] === "cuarto" ? 15 : (amountOf(m[4]) ?? 0));
        shifted = hour - 1;
      }
      const period = m[5] ?? m[6];
      return { hour: withPeriod((shifted + 24) % 24, period), minute, explicitPeriod: period !== undefined || shifted >= 13 };
    }],
    // "3 de la tarde", "las 3 de la tarde" without a preposition.
    [new RegExp(`\\b(?:las?\\s+)?${HOUR}(?::([0-5]\\d))?\\s+de\\s+la\\s+(manana|tarde|noche|madrugada)\\b`, "gu"), (m) => {
      const hour = amountOf(m[1] ?? "");
      return hour === undefined ? undefined : { hour: withPeriod(hour, m[3]), minute: Number(m[2] ?? 0), explicitPeriod: true };
    }],
    [/\b(?:al\s+)?(mediodia)\b|\b(?:a\s+)?(?:la\s+)?(medianoche)\b/gu,
      (m) => ({ hour: m[1] !== undefined ? 12 : 0, minute: 0, explicitPeriod: true })],
  ],
};
