/**
 * Optional machine-readable results: when GUICHET_TEST_REPORT_DIR is set (the CI script sets it),
 * vitest also writes <dir>/<name>.json so CI can sum passed and failed tests across runs.
 */
import path from 'node:path';

export function reportOptions(name: string) {
  const dir = process.env.GUICHET_TEST_REPORT_DIR;
  if (!dir) return {};
  return {
    reporters: ['default', 'json'],
    outputFile: { json: path.join(dir, `${name}.json`) },
  };
}
