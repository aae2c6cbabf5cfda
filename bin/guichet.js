#!/usr/bin/env node
// The guichet command. Guichet runs its TypeScript sources directly through tsx (no build step).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig (JSX settings among others), whatever folder the command runs from.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
