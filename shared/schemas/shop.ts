import { z } from "zod";
import { LocaleSchema, localeMap } from "./nlu.ts";
import { queryInt, querySchema } from "./query.ts";

/**
 * The demo shop's catalogue and customers (demo/shop/, data written for Stratus), and what its
 * endpoints answer: product listings and recommendation cards a bot shows with buttons.
 */

export const ProductIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, "a product id is 1-32 letters, digits, - or _");
export const CategoryIdSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "a category id is 1-32 lowercase letters, digits, - or _");
/** A customer id is the shop's account id, which is also the signed-in user's `sub` (at most 128 characters). */
export const CustomerIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s/?#\p{Cc}]+$/u, "a customer id has no spaces, control characters, slashes, ? or #");

/** Names per locale; `en` is required, other locales fall back to it. */
const NamesSchema = localeMap(z.string().min(1).max(120)).refine((names) => names.en !== undefined, "an English name (en) is required");

export const ProductSchema = z.object({
  id: ProductIdSchema,
  category: CategoryIdSchema,
  /** In the catalogue's currency, to the cent. */
  price: z.number().positive().multipleOf(0.01),
  names: NamesSchema,
});
export type Product = z.infer<typeof ProductSchema>;

export const ShopCatalogueSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code"),
    categories: z.array(z.object({ id: CategoryIdSchema, names: NamesSchema })).min(1),
    products: z.array(ProductSchema).min(1),
  })
  .superRefine((catalogue, context) => {
    const categories = new Set(catalogue.categories.map((category) => category.id));
    const seen = new Set<string>();
    catalogue.products.forEach((product, index) => {
      if (seen.has(product.id)) context.addIssue({ code: "custom", path: ["products", index, "id"], message: `duplicate product id ${product.id}` });
      seen.add(product.id);
      if (!categories.has(product.category)) context.addIssue({ code: "custom", path: ["products", index, "category"], message: `unknown category ${product.category}` });
    });
  });
export type ShopCatalogue = z.infer<typeof ShopCatalogueSchema>;

export const ShopOrderSchema = z.object({
  id: z.string().min(1).max(32),
  placedAt: z.iso.datetime(),
  lines: z.array(z.object({ productId: ProductIdSchema, quantity: z.number().int().positive() })).min(1),
});

export const ShopCustomerSchema = z.object({
  id: CustomerIdSchema,
  name: z.string().min(1).max(80),
  locale: LocaleSchema,
  orders: z.array(ShopOrderSchema),
});
export type ShopCustomer = z.infer<typeof ShopCustomerSchema>;

export const ShopCustomersSchema = z.object({ customers: z.array(ShopCustomerSchema) });

/** A price as an amount and its currency: what a bot's money slot takes ("$18.00" in the reply's language). */
const ListPriceSchema = z.object({ amount: z.number(), currency: z.string() });

/** A product as a listing shows it, named in the asked locale. */
export const ProductListingSchema = z.object({
  id: ProductIdSchema,
  name: z.string(),
  category: CategoryIdSchema,
  price: z.number(),
  currency: z.string(),
  listPrice: ListPriceSchema,
  /** The product's picture, a path on the shop's site ("/products/coffee.svg"). */
  imageUrl: z.string(),
});
export type ProductListing = z.infer<typeof ProductListingSchema>;

/** `GET /catalogue/products/{id}?locale=`: one product, with its category named in the locale. */
export const ProductDetailsSchema = ProductListingSchema.extend({ categoryName: z.string() });
export type ProductDetails = z.infer<typeof ProductDetailsSchema>;

/** `POST /customers/me/cart/items`: a product put in the signed-in customer's cart. */
export const AddToCartBodySchema = z
  .object({
    productId: ProductIdSchema,
    quantity: z.number().int().min(1).max(99).default(1),
  })
  .strict();

/** The customer's cart after a change. */
export const CartSchema = z.object({
  /** The product just added, named in the request's locale. */
  added: z.object({ productId: ProductIdSchema, name: z.string(), quantity: z.number().int().positive() }),
  items: z.array(z.object({ productId: ProductIdSchema, name: z.string(), quantity: z.number().int().positive() })),
  itemCount: z.number().int().nonnegative(),
  total: ListPriceSchema,
});
export type Cart = z.infer<typeof CartSchema>;

export const ReasonCodeSchema = z.enum(["bought_before", "bought_with", "popular"]);

/** A recommended product: what a card shows, and why it is there in the asked locale. */
export const ProductCardSchema = z.object({
  id: ProductIdSchema,
  name: z.string(),
  price: z.number(),
  currency: z.string(),
  listPrice: ListPriceSchema,
  /** The product's picture, a path on the shop's site ("/products/coffee.svg"). */
  imageUrl: z.string(),
  /** "You bought this before (3 orders)", "Often bought with Coffee grinder", "Popular with other customers". */
  reason: z.string(),
  /** The same reason as a code, for analytics (which kind of suggestion gets clicked). */
  reasonCode: ReasonCodeSchema,
});
export type ProductCard = z.infer<typeof ProductCardSchema>;

/** One query parameter's text, possibly empty (`?q=` means no filter). */
const optionalText = (maxLength: number) =>
  z
    .string({ error: (issue) => (Array.isArray(issue.input) ? "given more than once" : "expected one value") })
    .max(maxLength, `longer than ${maxLength} characters`)
    .optional();

/** `GET /catalogue/products?q=&category=&locale=&limit=` */
export const ProductSearchQuerySchema = querySchema({
  /** Words that must all appear in the product's name (in any language) or its category's. */
  q: optionalText(100),
  category: optionalText(32),
  locale: LocaleSchema.optional(),
  limit: queryInt(1, 100).optional(),
});

/** `GET /customers/{customerId}/recommendations?limit=5&locale=en&new=true` */
export const RecommendationsQuerySchema = querySchema({
  limit: queryInt(1, 20).optional(),
  locale: LocaleSchema.optional(),
  /** `true`: only products the customer never bought. */
  new: z.enum(["true", "false"]).optional(),
});

/** `GET /catalogue/products/{id}?locale=` */
export const ProductQuerySchema = querySchema({
  locale: LocaleSchema.optional(),
});
