/** The household pages: /account/household, /new, /:id (change) and /:id/remove. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http.ts';
import type { PageContext } from '../../web/context.ts';
import { residentCaller } from './account-routes.tsx';
import { addMember, getMember, listHousehold, removeMember, updateMember, type MemberChange } from './household.ts';
import { checkBirthDate, HOUSEHOLD_MAX, memberForm, todayIn, type Relationship } from './schemas.ts';
import { HouseholdPage, MemberFormPage, RemoveMemberPage, type MemberValues } from './views/household.tsx';

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] } as const;
const DONE = ['added', 'updated', 'removed'] as const;
const EMPTY: MemberValues = { name: '', birthDate: '', relationship: '' };

/** Checks the form; the values, or the page's errors in the order of the form. */
function check(ctx: PageContext, body: unknown): { ok: true; values: MemberValues } | { ok: false; values: MemberValues; errors: Record<string, string> } {
  const parsed = memberForm.parse(body, ctx.t);
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
  checkBirthDate(parsed.values, errors, todayIn(ctx.tenant.timeZone), ctx.t, 'residents.household.form.birthDate');
  const ordered = Object.fromEntries(Object.keys(memberForm.fields).filter((k) => errors[k]).map((k) => [k, errors[k]!]));
  return Object.keys(ordered).length > 0 ? { ok: false, values: parsed.values, errors: ordered } : { ok: true, values: parsed.values };
}

function refusal(ctx: PageContext, change: Extract<MemberChange, { ok: false }>): Record<string, string> {
  return change.error === 'tooMany' ? { name: ctx.t('residents.errors.tooMany', { max: HOUSEHOLD_MAX }) } : { relationship: ctx.t('residents.errors.oneSpouse') };
}

const input = (v: MemberValues) => ({ name: v.name, birthDate: v.birthDate, relationship: v.relationship as Relationship });

export async function householdRoutes(app: FastifyInstance): Promise<void> {
  app.get('/account/household', { schema: { querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 20 } } } } }, async (req, reply) => {
    const members = await listHousehold(residentCaller(req));
    const ctx = pageContext(req, reply);
    const done = DONE.find((d) => d === (req.query as { done?: string }).done);
    return sendPage(reply, <HouseholdPage ctx={ctx} members={members} notice={done ? ctx.t(`residents.household.${done}`) : undefined} />);
  });

  app.get('/account/household/new', async (req, reply) => {
    residentCaller(req);
    return sendPage(reply, <MemberFormPage ctx={pageContext(req, reply)} values={EMPTY} />);
  });

  app.post('/account/household/new', { schema: { body: memberForm.bodySchema } }, async (req, reply) => {
    const c = residentCaller(req);
    const ctx = pageContext(req, reply);
    const checked = check(ctx, req.body);
    if (!checked.ok) return sendPage(reply, <MemberFormPage ctx={ctx} values={checked.values} errors={checked.errors} />, 422);
    const change = await addMember(c, input(checked.values));
    if (!change.ok) return sendPage(reply, <MemberFormPage ctx={ctx} values={checked.values} errors={refusal(ctx, change)} />, 422);
    return seeOther(reply, `/${req.locale}/account/household?done=added`);
  });

  async function memberOr404(req: FastifyRequest) {
    const c = residentCaller(req);
    const member = await getMember(c, (req.params as { id: string }).id);
    if (!member) throw new AppError('notFound');
    return { c, member };
  }

  app.get('/account/household/:id', { schema: { params: idParams } }, async (req, reply) => {
    const { member } = await memberOr404(req);
    const values = { name: member.name, birthDate: member.birthDate, relationship: member.relationship };
    return sendPage(reply, <MemberFormPage ctx={pageContext(req, reply)} memberId={member.id} currentName={member.name} values={values} />);
  });

  app.post('/account/household/:id', { schema: { params: idParams, body: memberForm.bodySchema } }, async (req, reply: FastifyReply) => {
    const { c, member } = await memberOr404(req);
    const ctx = pageContext(req, reply);
    const checked = check(ctx, req.body);
    const page = (values: MemberValues, errors: Record<string, string>) => (
      <MemberFormPage ctx={ctx} memberId={member.id} currentName={member.name} values={values} errors={errors} />
    );
    if (!checked.ok) return sendPage(reply, page(checked.values, checked.errors), 422);
    const change = await updateMember(c, member.id, input(checked.values));
    if (!change) throw new AppError('notFound');
    if (!change.ok) return sendPage(reply, page(checked.values, refusal(ctx, change)), 422);
    return seeOther(reply, `/${req.locale}/account/household?done=updated`);
  });

  app.get('/account/household/:id/remove', { schema: { params: idParams } }, async (req, reply) => {
    const { member } = await memberOr404(req);
    return sendPage(reply, <RemoveMemberPage ctx={pageContext(req, reply)} member={member} />);
  });

  app.post('/account/household/:id/remove', { schema: { params: idParams } }, async (req, reply) => {
    const c = residentCaller(req);
    const removed = await removeMember(c, (req.params as { id: string }).id);
    if (!removed) throw new AppError('notFound');
    return seeOther(reply, `/${req.locale}/account/household?done=removed`);
  });
}
