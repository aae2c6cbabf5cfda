// Lint: ESLint's and typescript-eslint's recommended rules (type-checked), plus the data-access
// rules of DESIGN.md that can be checked statically. Run with `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

// The few globals plain .js files use (TypeScript checks the rest); no extra package needed.
const nodeGlobals = { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' };
const browserGlobals = { window: 'readonly', document: 'readonly', navigator: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' };

/** `withTenant`/`withoutTenant`: the only way a module reaches the database. */
const TX_CALL = "CallExpression[callee.property.name=/^with(out)?Tenant$/]";

/** Holds everywhere: inside a transaction, use the transaction handle and nothing else. */
const transactionRules = [
  {
    selector: `${TX_CALL} > :function ${TX_CALL}`,
    message:
      'A transaction inside a transaction: the callback already has a transaction handle; use it (the outer handle deadlocks PGlite).',
  },
  {
    selector: `${TX_CALL} > :function MemberExpression[property.name='owner']`,
    message: 'The owner handle inside a transaction callback deadlocks PGlite; use the transaction handle.',
  },
];

/** Holds in modules (except tenants, whose creation is an operator task): no owner handle at all. */
const moduleRules = [
  ...transactionRules,
  {
    selector: "MemberExpression[property.name='owner']",
    message:
      'Modules reach the database only through db.withTenant(tenantId, trx => ...) (row-level security applies). `db.owner` is for operator tasks: migrations, the command line, the job queue.',
  },
];

/** Holds in repo.ts files: every exported function takes the transaction handle first. */
const repoRules = [
  ...moduleRules,
  {
    selector:
      "ExportNamedDeclaration > FunctionDeclaration > .params:first-child:not([typeAnnotation.typeAnnotation.typeName.name='Tx'])",
    message: 'A repo function takes the transaction handle first: `(trx: Tx, ...)`, from db.withTenant.',
  },
  {
    selector: 'ExportNamedDeclaration > FunctionDeclaration[params.length=0]',
    message: 'A repo function takes the transaction handle first: `(trx: Tx, ...)`, from db.withTenant.',
  },
  {
    selector:
      "ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > :function.init > .params:first-child:not([typeAnnotation.typeAnnotation.typeName.name='Tx'])",
    message: 'A repo function takes the transaction handle first: `(trx: Tx, ...)`, from db.withTenant.',
  },
];

const repoImportRules = {
  paths: [
    {
      name: 'kysely',
      importNames: ['Kysely'],
      message: 'A repo works on the transaction handle (`Tx` from src/db/database.ts), not a Kysely instance.',
    },
  ],
  patterns: [
    {
      group: ['**/db/database.ts'],
      importNames: ['Database', 'fromPglite', 'fromPostgresUrl'],
      message: 'A repo works on the transaction handle (`Tx`), never on the Database.',
    },
  ],
};

export default defineConfig([
  globalIgnores(['node_modules/', 'data/', 'e2e/artifacts/', 'bench/results/', 'coverage/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: nodeGlobals,
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Pragmatic: Fastify plugins are async functions that may not await; route handlers return replies.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, properties: false } }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      'no-restricted-syntax': ['error', ...transactionRules],
      // process.env has one reader: src/config.ts (DESIGN.md "Config read once").
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/config.ts (loadConfig), the only reader of process.env.' },
      ],
    },
  },
  {
    // Where process.env is legitimately read: the config itself, the CLI's entry, test and CI glue.
    files: ['src/config.ts', 'src/cli/**', 'bin/**', 'test/**', 'e2e/**', 'bench/**', '**/*.test.ts', '**/*.test.tsx', '*.config.*'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/modules/**/*.{ts,tsx}'],
    ignores: ['src/modules/tenants/**'],
    rules: { 'no-restricted-syntax': ['error', ...moduleRules] },
  },
  {
    files: ['src/modules/**/repo.ts', 'src/modules/**/repo/*.ts'],
    ignores: ['src/modules/tenants/**'],
    rules: {
      'no-restricted-syntax': ['error', ...repoRules],
      'no-restricted-imports': ['error', repoImportRules],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Browser script served as is (no build step).
    files: ['src/web/static/**/*.js'],
    languageOptions: { globals: browserGlobals },
  },
]);
