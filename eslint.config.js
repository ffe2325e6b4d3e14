// `npm run lint`: ESLint with typescript-eslint's recommended rules, tuned to what the tree
// already follows (it is not part of `npm test` or .ci/run).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".node/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // A leading underscore marks a value left out on purpose (a destructured field dropped from a reply).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // `a() || b()` is how the web app runs a fallback.
      "@typescript-eslint/no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
    },
  },
  // TypeScript already checks names; the web app runs in a browser.
  { files: ["**/*.ts"], rules: { "no-undef": "off" } },
  { files: ["public/**/*.js"], languageOptions: { globals: globals.browser }, rules: { "no-useless-assignment": "off" } },
  // Tests, benchmarks and scripts read arbitrary JSON replies.
  { files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
);
