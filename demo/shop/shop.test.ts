// The demo shop's catalogue and recommendation endpoints, over HTTP on a free port.
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainRecommender } from "../../shared/recommend/index.ts";
import { ProductCardSchema, ProductDetailsSchema, ProductListingSchema } from "../../shared/schemas/shop.ts";
import { startDemoServices, type DemoServices } from "../services.ts";
import { loadShop, trainingLines } from "./catalogue.ts";
import { DEMO_TRAINING_PARAMS, MODEL_FILE } from "./recommender.ts";

let demo: DemoServices;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0 });
});
afterAll(async () => {
  await demo.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${demo.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const products = (body: Record<string, unknown>) => ProductListingSchema.array().parse(body.products);
const cards = (body: Record<string, unknown>) => ProductCardSchema.array().parse(body.recommendations);

describe("the demo catalogue", () => {
  it("holds 40-60 products across a few categories, each with a name in every shop language", () => {
    const shop = loadShop();
    expect(shop.catalogue.products.length).toBeGreaterThanOrEqual(40);
    expect(shop.catalogue.products.length).toBeLessThanOrEqual(60);
    for (const category of shop.catalogue.categories) expect(shop.catalogue.products.some((product) => product.category === category.id)).toBe(true);
    for (const product of shop.catalogue.products) expect(Object.keys(product.names).sort()).toEqual(["en", "es", "zh"]);
  });

  it("ships the recommender model trained from the demo orders as they are now", () => {
    const fresh = trainRecommender(trainingLines(loadShop()), DEMO_TRAINING_PARAMS);
    const committed = JSON.parse(readFileSync(MODEL_FILE, "utf8")) as unknown;
    // If this fails, the orders changed: run `npm run demo:train-recommender`.
    expect(committed).toEqual(fresh);
  });
});

describe("GET /catalogue/products", () => {
  it("finds products by words of their name", async () => {
    const { status, body } = await get("/catalogue/products?q=coffee%20beans");
    expect(status).toBe(200);
    expect(products(body).map((product) => product.name)).toEqual(["House blend coffee beans (1 kg)", "Espresso beans (500 g)"]);
    expect(body.total).toBe(2);
  });

  it("finds Chinese names without spaces and Spanish ones without accents, naming them in the asked locale", async () => {
    const zh = await get("/catalogue/products?q=%E8%80%B3%E6%9C%BA&locale=zh"); // 耳机
    expect(products(zh.body).map((product) => product.name)).toEqual(["无线耳机", "降噪入耳式耳机", "耳机支架"]);
    const es = await get("/catalogue/products?q=inalambricos&locale=es");
    expect(products(es.body).map((product) => product.id)).toEqual(["SKU-1001"]);
    expect(products(es.body)[0]).toEqual({
      id: "SKU-1001",
      name: "Auriculares inalámbricos",
      category: "audio",
      price: 129,
      currency: "USD",
      listPrice: { amount: 129, currency: "USD" },
      imageUrl: "/products/audio.svg",
    });
  });

  it("lists one category, with empty filters meaning none", async () => {
    const { body } = await get("/catalogue/products?q=&category=games");
    expect(products(body).every((product) => product.category === "games")).toBe(true);
    expect(body.total).toBe(7);
    const all = await get("/catalogue/products?q=&category=");
    expect(all.body.total).toBe(50);
    expect(products(all.body)).toHaveLength(20); // the default page
    expect(products((await get("/catalogue/products?limit=100")).body)).toHaveLength(50);
  });

  it("finds nothing rather than everything for a word no product has", async () => {
    const { status, body } = await get("/catalogue/products?q=submarine");
    expect(status).toBe(200);
    expect(body).toEqual({ products: [], total: 0 });
  });

  it("refuses an unknown category, listing the known ones, and a bad query", async () => {
    const unknown = await get("/catalogue/products?category=toys");
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: "unknown_category", categories: ["audio", "coffee", "outdoor", "office", "games"] });
    for (const query of ["limit=0", "limit=abc", "limit=5&limit=6", "colour=red", "locale=fr"]) {
      const { status, body } = await get(`/catalogue/products?${query}`);
      expect(status, query).toBe(400);
      expect(body.error, query).toBe("invalid_query");
    }
  });

  it("lists the categories", async () => {
    const { body } = await get("/catalogue/categories?locale=zh");
    expect(body.categories).toContainEqual({ id: "coffee", name: "咖啡与厨房" });
  });
});

describe("GET /catalogue/products/{id}", () => {
  it("gives one product with its picture, price and category named in the locale; an unknown one is a 404", async () => {
    const { status, body } = await get("/catalogue/products/SKU-2004?locale=zh");
    expect(status).toBe(200);
    expect(ProductDetailsSchema.parse(body)).toEqual({
      id: "SKU-2004",
      name: "咖啡滤纸（100 张）",
      category: "coffee",
      categoryName: "咖啡与厨房",
      price: 5.5,
      currency: "USD",
      listPrice: { amount: 5.5, currency: "USD" },
      imageUrl: "/products/coffee.svg",
    });
    expect((await get("/catalogue/products/SKU-0000")).status).toBe(404);
    expect((await get("/catalogue/products/SKU-2004?locale=fr")).status).toBe(400);
    // Every category has its picture on the shop's site (web/products/).
    for (const category of loadShop().catalogue.categories) expect(existsSync(new URL(`../../web/products/${category.id}.svg`, import.meta.url))).toBe(true);
  });
});

describe("POST /customers/me/cart/items", () => {
  it("asks an anonymous caller to sign in: a cart is an account's", async () => {
    const answer = await get("/customers/me/cart/items", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ productId: "SKU-2004" }) });
    expect(answer).toEqual({ status: 401, body: { error: "sign_in_required", message: "sign in to use a cart" } });
    expect((await get("/customers/me/cart/items")).status).toBe(405);
  });
});

describe("GET /customers/{id}/recommendations", () => {
  it("puts a regular's usual purchases first, saying they bought them before", async () => {
    const { status, body } = await get("/customers/alice/recommendations");
    expect(status).toBe(200);
    expect(body.known).toBe(true);
    const list = cards(body);
    expect(list).toHaveLength(5);
    expect(list[0]).toEqual({
      id: "SKU-2002",
      name: "House blend coffee beans (1 kg)",
      price: 18,
      currency: "USD",
      listPrice: { amount: 18, currency: "USD" },
      imageUrl: "/products/coffee.svg",
      reason: "You bought this before (5 orders)",
      reasonCode: "bought_before",
    });
  });

  it("suggests what others bought with a new customer's first purchase", async () => {
    const list = cards((await get("/customers/ines/recommendations?limit=3")).body);
    expect(list.map((card) => card.id)).toEqual(["SKU-2001", "SKU-2004", "SKU-2002"]); // grinder, filters, beans
    expect(list[1]).toMatchObject({ reason: "Often bought with Coffee grinder", reasonCode: "bought_with" });
  });

  it("words the reasons in the asked locale", async () => {
    const zh = cards((await get("/customers/ines/recommendations?limit=2&locale=zh")).body);
    expect(zh.map((card) => card.reason)).toEqual(["您之前买过", "常与「咖啡磨豆机」一起购买"]);
    const es = cards((await get("/customers/carmen/recommendations?limit=1&locale=es")).body);
    expect(es[0]).toMatchObject({ name: "Cartucho de gas (230 g)", reason: "Ya lo compraste (3 pedidos)" });
  });

  it("with new=true, leaves out everything the customer already bought", async () => {
    const shop = loadShop();
    const owned = new Set(shop.customers.get("alice")?.orders.flatMap((order) => order.lines.map((line) => line.productId)));
    const list = cards((await get("/customers/alice/recommendations?new=true&limit=10")).body);
    expect(list).toHaveLength(10);
    expect(list.filter((card) => owned.has(card.id))).toEqual([]);
    expect(list.some((card) => card.reasonCode === "bought_before")).toBe(false);
  });

  it("gives a customer the shop does not know its most popular products", async () => {
    const { status, body } = await get("/customers/someone-new%40example.com/recommendations?limit=3");
    expect(status).toBe(200);
    expect(body).toMatchObject({ customerId: "someone-new@example.com", known: false });
    const list = cards(body);
    expect(list).toHaveLength(3);
    expect(list.every((card) => card.reasonCode === "popular" && card.reason === "Popular with other customers")).toBe(true);
  });

  it("refuses a bad limit, an unknown parameter, a malformed customer id and other methods", async () => {
    for (const path of ["/customers/alice/recommendations?limit=0", "/customers/alice/recommendations?limit=21", "/customers/alice/recommendations?sort=price"]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body.error, path).toBe("invalid_query");
    }
    for (const id of ["a%2Fb", "x".repeat(129)]) {
      const { status, body } = await get(`/customers/${id}/recommendations`);
      expect(status, id).toBe(400);
      expect(body.error, id).toBe("invalid_customer_id");
    }
    // A path that is not valid percent-encoding is refused before any route reads it.
    const malformed = await get("/customers/%E0%A4%A/recommendations");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe("malformed_path");
    const post = await get("/customers/alice/recommendations", { method: "POST" });
    expect(post.status).toBe(405);
  });

  it("leaves the order and quote APIs as they were", async () => {
    expect((await get("/orders/ORD-4820193")).body).toMatchObject({ id: "ORD-4820193", status: "shipped" });
    expect((await get("/quotes/AAPL")).status).toBe(200);
  });
});
