/**
 * "Do I need a permit?": a few questions, one per page, each answer leading to the next question
 * or to an outcome (what to do, with a link to the right service's form). Nothing is stored about
 * the person: the path through the questions is in the links. Administrators define one as JSON
 * (the demo seed, the command line, tests); `parsePrecheck` checks it like the form engine does.
 */
import type { Database } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { ensure } from '../../platform/permissions.ts';
import type { Tenant } from '../tenants/service.ts';
import type { StaffCaller } from './builder.ts';
import { CODE } from './engine/index.ts';
import * as repo from './repo.ts';

export interface PrecheckChoice {
  value: string;
  label: Bilingual;
  /** The next question's code, or an outcome's code. */
  next: string;
}
export interface PrecheckQuestion {
  code: string;
  label: Bilingual;
  help: Bilingual;
  choices: PrecheckChoice[];
}
export interface PrecheckOutcome {
  code: string;
  title: Bilingual;
  body: Bilingual;
  /** The service whose form to fill, if any. */
  service: string | null;
}
export interface PrecheckDefinition {
  intro: Bilingual;
  /** The first is asked first. */
  questions: PrecheckQuestion[];
  outcomes: PrecheckOutcome[];
}

export interface Precheck {
  id: string;
  slug: string;
  title: Bilingual;
  definition: PrecheckDefinition;
}

function bilingual(v: unknown, max: number, min = 1): Bilingual {
  const o = v as Partial<Bilingual> | null;
  if (!o || typeof o.fr !== 'string' || typeof o.en !== 'string') throw new Error('not bilingual');
  if (o.fr.trim().length < min || o.en.trim().length < min || o.fr.length > max || o.en.length > max) throw new Error('bad length');
  return { fr: o.fr.trim(), en: o.en.trim() };
}

/** The definition checked: codes unique, every choice leading somewhere that exists, no loop. */
export function parsePrecheck(input: unknown): PrecheckDefinition | null {
  try {
    const o = input as Record<string, unknown>;
    if (!Array.isArray(o.questions) || !Array.isArray(o.outcomes) || o.questions.length === 0 || o.questions.length > 20 || o.outcomes.length === 0 || o.outcomes.length > 20) return null;
    const questions: PrecheckQuestion[] = o.questions.map((q: Record<string, unknown>) => {
      if (typeof q.code !== 'string' || !CODE.test(q.code) || !Array.isArray(q.choices) || q.choices.length < 2 || q.choices.length > 10) throw new Error('question');
      return {
        code: q.code,
        label: bilingual(q.label, 300),
        help: q.help === undefined ? { fr: '', en: '' } : bilingual(q.help, 1000, 0),
        choices: q.choices.map((c: Record<string, unknown>) => {
          if (typeof c.value !== 'string' || !CODE.test(c.value) || typeof c.next !== 'string') throw new Error('choice');
          return { value: c.value, label: bilingual(c.label, 200), next: c.next };
        }),
      };
    });
    const outcomes: PrecheckOutcome[] = o.outcomes.map((x: Record<string, unknown>) => {
      if (typeof x.code !== 'string' || !CODE.test(x.code)) throw new Error('outcome');
      const service = x.service ?? null;
      if (service !== null && (typeof service !== 'string' || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(service))) throw new Error('service');
      return { code: x.code, title: bilingual(x.title, 200), body: bilingual(x.body, 2000), service };
    });
    const codes = [...questions.map((q) => q.code), ...outcomes.map((x) => x.code)];
    if (new Set(codes).size !== codes.length) return null;
    // Choices only lead forward (to a later question or an outcome): no loop possible.
    const at = new Map(questions.map((q, i) => [q.code, i]));
    const outcomeCodes = new Set(outcomes.map((x) => x.code));
    for (const [i, q] of questions.entries()) {
      if (new Set(q.choices.map((c) => c.value)).size !== q.choices.length) return null;
      for (const c of q.choices) if (!outcomeCodes.has(c.next) && !((at.get(c.next) ?? -1) > i)) return null;
    }
    return { intro: o.intro === undefined ? { fr: '', en: '' } : bilingual(o.intro, 1000, 0), questions, outcomes };
  } catch {
    return null;
  }
}

export async function listPrechecks(db: Database, tenant: Tenant): Promise<Precheck[]> {
  return db.withTenant(tenant.id, async (trx) =>
    (await repo.listPrechecks(trx, tenant.id)).flatMap((r) => {
      const definition = parsePrecheck(r.definition);
      return definition ? [{ id: r.id, slug: r.slug, title: r.title, definition }] : [];
    }),
  );
}

export async function findPrecheck(db: Database, tenant: Tenant, slug: string): Promise<Precheck | null> {
  return db.withTenant(tenant.id, async (trx) => {
    const r = await repo.findPrecheck(trx, tenant.id, slug);
    const definition = r ? parsePrecheck(r.definition) : null;
    return r && definition ? { id: r.id, slug: r.slug, title: r.title, definition } : null;
  });
}

/** Creates or replaces a pre-check (administrators). */
export async function savePrecheck(c: StaffCaller, input: { slug: string; title: Bilingual; definition: unknown }): Promise<Precheck> {
  await ensure(c, 'applicationService.manage');
  const definition = parsePrecheck(input.definition);
  if (!definition) throw new AppError('badRequest', 'invalid pre-check');
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const id = await repo.upsertPrecheck(trx, c.tenant.id, { slug: input.slug, title: input.title, definition });
    await recordAudit(trx, {
      tenantId: c.tenant.id,
      actor: { kind: 'staff', id: c.principal.kind === 'staff' ? c.principal.id : null },
      action: 'applicationService.updated',
      subject: { kind: 'application_precheck', id },
      ip: c.ip,
    });
    return { id, slug: input.slug, title: input.title, definition };
  });
}

/** An operator's act (demo seed): the pre-check, unless one with this slug exists. */
export async function seedPrecheck(db: Database, tenantId: string, input: { slug: string; title: Bilingual; definition: PrecheckDefinition }): Promise<void> {
  if (!parsePrecheck(input.definition)) throw new Error(`invalid pre-check ${input.slug}`);
  await db.withTenant(tenantId, async (trx) => {
    if (await repo.findPrecheck(trx, tenantId, input.slug)) return;
    await repo.upsertPrecheck(trx, tenantId, input);
  });
}
