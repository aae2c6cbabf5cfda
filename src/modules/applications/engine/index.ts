/** The form engine: pure TypeScript, no database. See definition.ts for the shape of a form. */
export * from './definition.ts';
export * from './parse.ts';
export * from './visibility.ts';
export * from './validate.ts';
export * from './fee.ts';
