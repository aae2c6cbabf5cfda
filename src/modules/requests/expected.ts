/**
 * When a request is expected to be done: the median time the last closures of its type took
 * (at least MIN_SAMPLES in the last LOOKBACK_DAYS), else the town's target for the type.
 */
import type { Tx } from '../../db/database.ts';
import * as repo from './repo/requests.ts';
import type { Expectation } from './types.ts';

export const MIN_SAMPLES = 3;
export const SAMPLE_SIZE = 30;
export const LOOKBACK_DAYS = 180;
const DAY_MS = 86_400_000;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** From durations in seconds (may be empty) and the target in hours. */
export function expectation(durationsSeconds: readonly number[], targetHours: number, requestedAt: Date): Expectation {
  const history = durationsSeconds.length >= MIN_SAMPLES;
  const ms = history ? median(durationsSeconds) * 1000 : targetHours * 3_600_000;
  return { days: Math.max(1, Math.ceil(ms / DAY_MS)), at: new Date(requestedAt.getTime() + ms), basis: history ? 'history' : 'target' };
}

export async function expectationIn(trx: Tx, tenantId: string, type: { id: string; targetHours: number }, requestedAt: Date): Promise<Expectation> {
  const since = new Date(Date.now() - LOOKBACK_DAYS * DAY_MS);
  const durations = await repo.recentDurations(trx, tenantId, type.id, since, SAMPLE_SIZE);
  return expectation(durations, type.targetHours, requestedAt);
}
