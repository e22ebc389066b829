/**
 * The demo shop's catalogue and customers (products.json, customers.json: data written for Stratus),
 * validated on load, and the product search behind `GET /catalogue/products`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locale } from "../../shared/schemas/nlu.ts";
import type { PurchaseLine, TrainingLine } from "../../shared/schemas/recommend.ts";
import {
  ShopCatalogueSchema,
  ShopCustomersSchema,
  type Product,
  type ProductDetails,
  type ProductListing,
  type ShopCatalogue,
  type ShopCustomer,
} from "../../shared/schemas/shop.ts";
import { describeFileIssues } from "../../shared/zod-issues.ts";

export interface Shop {
  catalogue: ShopCatalogue;
  products: ReadonlyMap<string, Product>;
  customers: ReadonlyMap<string, ShopCustomer>;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, file), "utf8")) as unknown;
}

/** Reads and checks the data files; throws naming the file and the path of every problem. */
export function loadShop(): Shop {
  const catalogue = ShopCatalogueSchema.safeParse(readJson("products.json"));
  if (!catalogue.success) throw new Error(describeFileIssues(catalogue.error, "demo/shop/products.json"));
  const customers = ShopCustomersSchema.safeParse(readJson("customers.json"));
  if (!customers.success) throw new Error(describeFileIssues(customers.error, "demo/shop/customers.json"));
  const products = new Map(catalogue.data.products.map((product) => [product.id, product]));
  for (const customer of customers.data.customers) {
    for (const order of customer.orders) {
      for (const line of order.lines) {
        if (!products.has(line.productId)) throw new Error(`demo/shop/customers.json: ${customer.id} ${order.id}: unknown product ${line.productId}`);
      }
    }
  }
  return { catalogue: catalogue.data, products, customers: new Map(customers.data.customers.map((customer) => [customer.id, customer])) };
}

/** A customer's orders as the recommender reads them. */
export function purchaseHistory(customer: ShopCustomer): PurchaseLine[] {
  return customer.orders.flatMap((order) =>
    order.lines.map((line) => ({ itemId: line.productId, basketId: order.id, time: Date.parse(order.placedAt), quantity: line.quantity })),
  );
}

/** Every customer's orders: what the demo's co-purchase statistics are trained from. */
export function trainingLines(shop: Shop): TrainingLine[] {
  return [...shop.customers.values()].flatMap((customer) => purchaseHistory(customer).map((line) => ({ ...line, userId: customer.id })));
}

export function productName(product: Product, locale: Locale): string {
  return product.names[locale] ?? product.names.en ?? product.id;
}

/** A product's picture on the shop's site: one per category (web/products/<category>.svg). */
export const productImageUrl = (product: Product): string => `/products/${product.category}.svg`;

export function listing(shop: Shop, product: Product, locale: Locale): ProductListing {
  const currency = shop.catalogue.currency;
  return {
    id: product.id,
    name: productName(product, locale),
    category: product.category,
    price: product.price,
    currency,
    listPrice: { amount: product.price, currency },
    imageUrl: productImageUrl(product),
  };
}

/** A category's name in `locale`, else its English one. */
export function categoryName(category: ShopCatalogue["categories"][number], locale: Locale): string | undefined {
  return category.names[locale] ?? category.names.en;
}

/** One product with its category named in `locale` (`GET /catalogue/products/{id}`). */
export function productDetails(shop: Shop, product: Product, locale: Locale): ProductDetails {
  const category = shop.catalogue.categories.find((entry) => entry.id === product.category);
  return { ...listing(shop, product, locale), categoryName: (category && categoryName(category, locale)) ?? product.category };
}

/** Lowercase, without accents, full-width forms folded: "Inalámbricos" and "inalambricos" match. */
function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

export type SearchResult = { ok: true; products: ProductListing[]; total: number } | { ok: false; error: "unknown_category"; categories: string[] };

/**
 * Products whose name (in any language) or category name holds every word of `q`, in catalogue
 * order; Chinese needs no spaces ("耳机" is found inside "无线耳机"). An empty `q` or `category` is no filter.
 */
export function searchProducts(shop: Shop, query: { q?: string | undefined; category?: string | undefined; locale: Locale; limit: number }): SearchResult {
  const category = query.category?.trim() ?? "";
  const categories = shop.catalogue.categories.map((entry) => entry.id);
  if (category !== "" && !categories.includes(category)) return { ok: false, error: "unknown_category", categories };
  const words = fold(query.q ?? "").split(/\s+/).filter((word) => word !== "");
  const categoryNames = new Map(shop.catalogue.categories.map((entry) => [entry.id, Object.values(entry.names).join(" ")]));
  const matches = shop.catalogue.products.filter((product) => {
    if (category !== "" && product.category !== category) return false;
    const haystack = fold(`${Object.values(product.names).join(" ")} ${categoryNames.get(product.category) ?? ""} ${product.id}`);
    return words.every((word) => haystack.includes(word));
  });
  return { ok: true, products: matches.slice(0, query.limit).map((product) => listing(shop, product, query.locale)), total: matches.length };
}
