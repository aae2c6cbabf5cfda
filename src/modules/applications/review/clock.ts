/**
 * The target clock of an application, computed from its timeline: it runs from submission, pauses
 * while the town waits for the applicant's information (status info_requested), resumes when they
 * answer, and stops at the decision. Time left = the target (due_at − submitted_at, set at
 * submission from the service's target days) − the time it ran.
 */
import type { ApplicationStatus } from '../domain.ts';

export interface ClockEvent {
  createdAt: Date;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus | null;
}

export interface Clock {
  targetMs: number;
  usedMs: number;
  /** Negative when overdue. */
  leftMs: number;
  /** Waiting for the applicant: the clock does not run. */
  paused: boolean;
  /** Decided (or withdrawn): the clock no longer runs. */
  stopped: boolean;
  overdue: boolean;
  /** When the target falls if the clock keeps running from now; null while paused or stopped. */
  dueAt: Date | null;
}

const STOPPED: readonly ApplicationStatus[] = ['approved', 'refused', 'issued', 'withdrawn'];

export function computeClock(
  a: { status: ApplicationStatus; submittedAt: Date | null; dueAt: Date | null },
  events: readonly ClockEvent[],
  now: Date,
): Clock | null {
  if (!a.submittedAt || !a.dueAt) return null;
  const targetMs = a.dueAt.getTime() - a.submittedAt.getTime();
  let usedMs = 0;
  let runningSince: number | null = a.submittedAt.getTime();
  let stopped = false;
  const sorted = [...events].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
  for (const e of sorted) {
    const at = Math.max(e.createdAt.getTime(), a.submittedAt.getTime());
    if (e.toStatus === null || stopped) continue;
    const stops = STOPPED.includes(e.toStatus);
    const pauses = e.toStatus === 'info_requested';
    if ((stops || pauses) && runningSince !== null) {
      usedMs += at - runningSince;
      runningSince = null;
    } else if (!stops && !pauses && runningSince === null) {
      runningSince = at;
    }
    if (stops) stopped = true;
  }
  if (STOPPED.includes(a.status)) stopped = true;
  if (runningSince !== null && !stopped) usedMs += Math.max(0, now.getTime() - runningSince);
  const paused = !stopped && a.status === 'info_requested';
  const leftMs = targetMs - usedMs;
  return {
    targetMs,
    usedMs,
    leftMs,
    paused,
    stopped,
    overdue: !stopped && leftMs < 0,
    dueAt: stopped || paused ? null : new Date(now.getTime() + leftMs),
  };
}

/** Whole days, rounded towards zero: "3 days left", "2 days overdue". */
export function wholeDays(ms: number): number {
  return Math.trunc(ms / 86_400_000);
}
