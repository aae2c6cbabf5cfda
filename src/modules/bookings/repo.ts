/**
 * Bookings: all the SQL of activities, activity_sessions, bookings, waitlist_entries,
 * lottery_entries, lottery_draws and residency_proofs.
 *
 * A place is taken in exactly one way: the conditional update `taken = taken + 1 ... where taken <
 * capacity`, in the statement (or transaction) that inserts the booking holding it. A place is
 * given back in exactly one way too: the statement that moves a booking out of held/confirmed
 * decrements `taken` in the same transaction (or hands the place to the waitlist's next person).
 */
export * from './repo/activities.ts';
export * from './repo/bookings.ts';
export * from './repo/waitlist.ts';
export * from './repo/lottery.ts';
