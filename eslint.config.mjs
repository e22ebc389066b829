// Type-aware lint for every TypeScript file (run by `npm run lint`, part of `npm run check`).
// The three tsconfig projects give each file its own types: Workers runtime, Node, or browser (clients).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "**/dist/", "generated/", "web/", "**/.wrangler/", "**/worker-configuration.d.ts", "bench/.cache/"] },
  {
    files: ["**/*.ts", "**/*.mts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: ["./tsconfig.json", "./tsconfig.node.json", "./tsconfig.clients.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["eslint.config.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
