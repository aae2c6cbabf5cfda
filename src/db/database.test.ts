/**
 * The database handle's own machinery on the embedded database: statements run often are prepared
 * once per PGlite session, and every handle on that session knows what it has prepared.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fromPglite } from './database.ts';
import { openPgliteMemory } from './pglite.ts';

const plusOne = (db: ReturnType<typeof fromPglite>, n: number) =>
  db.owner
    .selectNoFrom(sql<number>`${n}::int + 1`.as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

describe('prepared statements on PGlite', () => {
  it('prepares a statement run often once, and every handle on the same session can run it', async () => {
    const pglite = await openPgliteMemory();
    const first = fromPglite(pglite);
    const second = fromPglite(pglite);
    try {
      for (let i = 0; i < 5; i++) expect(await plusOne(first, i)).toBe(i + 1);
      const prepared = await pglite.query<{ name: string }>(`select name from pg_prepared_statements`);
      expect(prepared.rows.map((r) => r.name).some((name) => name.startsWith('g_'))).toBe(true);
      // The second handle (a test's, the job queue's) runs the same text: it must neither prepare it
      // again ("already exists") nor believe in a statement the session does not have.
      for (let i = 0; i < 5; i++) expect(await plusOne(second, 10 + i)).toBe(11 + i);
      // A handle closing does not take the session's statements with it.
      await second.owner.destroy();
      for (let i = 0; i < 5; i++) expect(await plusOne(first, 20 + i)).toBe(21 + i);
    } finally {
      await first.owner.destroy();
      await pglite.close();
    }
  });
});
