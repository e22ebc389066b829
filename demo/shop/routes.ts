/**
 * The demo shop's catalogue and recommendation endpoints (served by demo/services.ts):
 *
 *   GET /catalogue/categories                          200 { categories: [{ id, name }] }
 *   GET /catalogue/products?q=&category=&locale=&limit= 200 { products: [{ id, name, category, price, currency, listPrice, imageUrl }], total }
 *                                                      400 unknown category (the answer lists them) or bad query
 *   GET /catalogue/products/{id}?locale=                200 { id, name, category, categoryName, price, currency, listPrice, imageUrl } | 404
 *   GET /customers/{customerId}/recommendations?limit=5&locale=en&new=true
 *                                                      200 { customerId, known, recommendations: [{ id, name, price, currency, listPrice, imageUrl, reason, reasonCode }] }
 *
 * A customer the shop does not know gets the most popular products (`known: false`).
 */
import type { z } from "zod";
import type { ScoringModel } from "../../shared/recommend/index.ts";
import { CustomerIdSchema, ProductQuerySchema, ProductSearchQuerySchema, RecommendationsQuerySchema } from "../../shared/schemas/shop.ts";
import { describeZodError } from "../../shared/zod-issues.ts";
import { categoryName, productDetails, searchProducts, type Shop } from "./catalogue.ts";
import { recommendationCards } from "./recommender.ts";

export interface ShopAnswer {
  status: number;
  body: unknown;
}

/** The query string as the schemas read it: a parameter given twice becomes a list (and is refused). */
function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}

function parseQuery<Schema extends z.ZodType>(schema: Schema, url: URL): { ok: true; value: z.infer<Schema> } | { ok: false; answer: ShopAnswer } {
  const parsed = schema.safeParse(queryObject(url));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, answer: { status: 400, body: { error: "invalid_query", message: describeZodError(parsed.error) } } };
}

/** The answer to a shop request, or null when the path is not one of the shop's. Never throws. */
export function answerShopRequest(shop: Shop, model: ScoringModel, method: string, url: URL): ShopAnswer | null {
  try {
    return answer(shop, model, method, url);
  } catch {
    return { status: 500, body: { error: "internal_error" } };
  }
}

function answer(shop: Shop, model: ScoringModel, method: string, url: URL): ShopAnswer | null {
  const path = url.pathname.replace(/\/+$/, "");
  const recommendations = /^\/customers\/([^/]+)\/recommendations$/.exec(path);
  const product = /^\/catalogue\/products\/([^/]+)$/.exec(path);
  if (path !== "/catalogue/products" && path !== "/catalogue/categories" && !recommendations && !product) return null;
  if (method !== "GET") return { status: 405, body: { error: "method_not_allowed" } };

  if (product) {
    const query = parseQuery(ProductQuerySchema, url);
    if (!query.ok) return query.answer;
    const found = shop.products.get(product[1] ?? "");
    if (!found) return { status: 404, body: { error: "product_not_found" } };
    return { status: 200, body: productDetails(shop, found, query.value.locale ?? "en") };
  }

  if (path === "/catalogue/categories") {
    const asked = url.searchParams.get("locale");
    const locale = asked === "zh" || asked === "es" ? asked : "en";
    return { status: 200, body: { categories: shop.catalogue.categories.map((entry) => ({ id: entry.id, name: categoryName(entry, locale) })) } };
  }

  if (path === "/catalogue/products") {
    const query = parseQuery(ProductSearchQuerySchema, url);
    if (!query.ok) return query.answer;
    const found = searchProducts(shop, { q: query.value.q, category: query.value.category, locale: query.value.locale ?? "en", limit: query.value.limit ?? 20 });
    if (!found.ok) return { status: 400, body: { error: found.error, message: `unknown category (known: ${found.categories.join(", ")})`, categories: found.categories } };
    return { status: 200, body: { products: found.products, total: found.total } };
  }

  let rawId: string;
  try {
    rawId = decodeURIComponent(recommendations?.[1] ?? "");
  } catch {
    return { status: 400, body: { error: "invalid_customer_id", message: "the customer id is not valid percent-encoding" } };
  }
  const customerId = CustomerIdSchema.safeParse(rawId);
  if (!customerId.success) return { status: 400, body: { error: "invalid_customer_id", message: describeZodError(customerId.error) } };
  const query = parseQuery(RecommendationsQuerySchema, url);
  if (!query.ok) return query.answer;
  const { known, cards } = recommendationCards(shop, model, customerId.data, {
    limit: query.value.limit ?? 5,
    locale: query.value.locale ?? "en",
    onlyNew: query.value.new === "true",
  });
  return { status: 200, body: { customerId: customerId.data, known, recommendations: cards } };
}
