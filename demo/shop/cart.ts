/**
 * The demo shop's carts: `POST /customers/me/cart/items` puts a product in the signed-in customer's
 * cart (in memory, reset on every start). Anyone else is asked to sign in (401): a cart is an account's.
 */
import { AddToCartBodySchema, type Cart } from "../../shared/schemas/shop.ts";
import { describeZodError } from "../../shared/zod-issues.ts";
import { productName, type Shop } from "./catalogue.ts";
import type { Locale } from "../../shared/schemas/nlu.ts";
import type { ShopAnswer } from "./routes.ts";

/** Customer id → product id → quantity. */
export type Carts = Map<string, Map<string, number>>;

export function addToCart(shop: Shop, carts: Carts, customerId: string | null, body: unknown, locale: Locale): ShopAnswer {
  if (customerId === null) return { status: 401, body: { error: "sign_in_required", message: "sign in to use a cart" } };
  const parsed = AddToCartBodySchema.safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: "invalid_body", message: describeZodError(parsed.error) } };
  const product = shop.products.get(parsed.data.productId);
  if (!product) return { status: 404, body: { error: "product_not_found" } };
  const cart = carts.get(customerId) ?? new Map<string, number>();
  carts.set(customerId, cart);
  cart.set(product.id, Math.min(99, (cart.get(product.id) ?? 0) + parsed.data.quantity));
  const items = [...cart].map(([productId, quantity]) => {
    const known = shop.products.get(productId);
    return { productId, name: known ? productName(known, locale) : productId, quantity };
  });
  // In cents, so that a sum of prices has no float error.
  const cents = [...cart].reduce((sum, [productId, quantity]) => sum + Math.round((shop.products.get(productId)?.price ?? 0) * 100) * quantity, 0);
  const added = { productId: product.id, name: productName(product, locale), quantity: parsed.data.quantity };
  const answer: Cart = { added, items, itemCount: items.reduce((sum, item) => sum + item.quantity, 0), total: { amount: cents / 100, currency: shop.catalogue.currency } };
  return { status: 200, body: answer };
}
