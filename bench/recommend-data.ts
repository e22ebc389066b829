/**
 * The public purchase log for `npm run bench:recommend`: UCI Online Retail, 1,800 customers, each
 * one's last invoice held out (../shared/data/recommend/, read in place; its README gives the
 * protocol). Parsed with a real CSV parser: 69 product names hold commas or quotes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { TrainingLine } from "../shared/schemas/recommend.ts";
import { DATA_DIR } from "./datasets.ts";

/** The folder of the slice; `--data DIR` overrides it (a worktree elsewhere than beside ../shared). */
export const RECOMMEND_DATA_DIR = join(DATA_DIR, "recommend");

/** One customer: their training lines and, if they have one, the distinct items of the held-out basket. */
export interface RetailUser {
  userId: string;
  train: TrainingLine[];
  test: ReadonlySet<string> | null;
}

const COLUMNS = ["user_id", "item_id", "item_name", "timestamp", "invoice_id", "quantity", "unit_price", "split"] as const;
type Column = (typeof COLUMNS)[number];

/** `YYYY-MM-DDTHH:MM:SS` without a zone (the shop's local time): all read as UTC, so only differences matter. */
function parseTime(text: string, where: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(text)) throw new Error(`${where}: bad timestamp ${JSON.stringify(text)}`);
  return Date.parse(`${text}Z`);
}

export function loadRetailUsers(file: string = join(RECOMMEND_DATA_DIR, "interactions.csv")): RetailUser[] {
  const records = parse<Record<Column, string>>(readFileSync(file, "utf8"), {
    columns: (header: string[]) => {
      if (header.join(",") !== COLUMNS.join(",")) throw new Error(`${file}: expected the columns ${COLUMNS.join(",")}, found ${header.join(",")}`);
      return header;
    },
    skip_empty_lines: true,
  });
  const users = new Map<string, { train: TrainingLine[]; test: Set<string> | null }>();
  records.forEach((record, index) => {
    const where = `${file}: row ${index + 2}`;
    for (const column of COLUMNS) if (typeof record[column] !== "string") throw new Error(`${where}: no ${column}`);
    const quantity = Number(record.quantity);
    if (!Number.isInteger(quantity) || quantity <= 0) throw new Error(`${where}: bad quantity ${record.quantity}`);
    if (record.split !== "train" && record.split !== "test") throw new Error(`${where}: bad split ${record.split}`);
    let user = users.get(record.user_id);
    if (!user) users.set(record.user_id, (user = { train: [], test: null }));
    if (record.split === "test") (user.test ??= new Set()).add(record.item_id);
    else user.train.push({ userId: record.user_id, itemId: record.item_id, basketId: record.invoice_id, time: parseTime(record.timestamp, where), quantity });
  });
  return [...users].map(([userId, user]) => ({ userId, ...user }));
}

/**
 * A validation split for tuning, carved out of `train` the way `test` was made: each customer with
 * enough training invoices gives up their last one (by time, then invoice id) as the held-out basket.
 * `fold` 2 first drops the last training invoice and holds out the one before it, for a second,
 * independent look at the same customers. Test baskets are never read.
 */
export function validationSplit(users: readonly RetailUser[], fold: 1 | 2 = 1): RetailUser[] {
  return users.map((user) => {
    const invoices = new Map<string, number>();
    for (const line of user.train) invoices.set(line.basketId, line.time);
    if (invoices.size < fold + 1) return { userId: user.userId, train: user.train, test: null };
    // Newest first; the same tie rule as the test split: the higher invoice id is the later one.
    const order = [...invoices].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)).map(([id]) => id);
    const dropped = new Set(order.slice(0, fold - 1));
    const heldOut = order[fold - 1];
    return {
      userId: user.userId,
      train: user.train.filter((line) => line.basketId !== heldOut && !dropped.has(line.basketId)),
      test: new Set(user.train.filter((line) => line.basketId === heldOut).map((line) => line.itemId)),
    };
  });
}
