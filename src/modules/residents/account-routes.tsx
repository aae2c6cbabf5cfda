/** "My file" (/account, the first page after sign-in) and the profile (/account/profile). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { requireResident } from '../../platform/auth/session.ts';
import { ensure } from '../../platform/permissions.ts';
import { codeKey, normalizeCode } from './codes.ts';
import { listMyFile } from './my-file.ts';
import { checkBirthDate, phoneError, profileForm, todayIn } from './schemas.ts';
import { confirmEmailChange, getProfile, pendingEmailChange, residentPrincipal, updateProfile, type Profile, type ResidentCaller } from './service.ts';
import { attemptMessage } from './sign-in-routes.tsx';
import { MyFilePage } from './views/my-file.tsx';
import { EmailChangePage, ProfilePage, type ProfileValues } from './views/profile.tsx';
import './file-sources.ts';

const yes = (b: boolean) => (b ? 'yes' : '');

function valuesOf(p: Profile): ProfileValues {
  return {
    name: p.name ?? '',
    email: p.email,
    phone: p.phone ?? '',
    locale: p.locale,
    address: p.address ?? '',
    notifyUpdates: yes(p.notifications.updates),
    notifyReminders: yes(p.notifications.reminders),
    notifyNews: yes(p.notifications.news),
    birthDate: p.birthDate ?? '',
  };
}

export function residentCaller(req: FastifyRequest): ResidentCaller {
  const tenant = requireTenant(req);
  const resident = requireResident(req);
  return { db: req.server.deps.db, tenant, resident, ip: req.ip };
}

const doneQuery = { type: 'object', properties: { done: { type: 'string', maxLength: 20 }, welcome: { type: 'string', maxLength: 2 } } } as const;

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const key = codeKey(app.deps.config.sessionSecret);
  const tight = { rateLimit: { max: app.deps.config.rateLimit.sensitivePerMinute, timeWindow: 60000 } };

  app.get('/account', { schema: { querystring: doneQuery } }, async (req, reply) => {
    const c = residentCaller(req);
    await ensure({ db: c.db, principal: residentPrincipal(c.tenant.id, c.resident), ip: c.ip }, 'resident.viewProfile', {
      kind: 'residentProfile',
      tenantId: c.tenant.id,
      residentId: c.resident.id,
    });
    const ctx = pageContext(req, reply);
    const file = await listMyFile({ db: c.db, tenant: c.tenant, resident: c.resident, locale: req.locale, t: ctx.t }, (source, err) =>
      req.log.error({ err, source }, 'a source of My file failed'),
    );
    const isNew = (req.query as { welcome?: string }).welcome === '1';
    return sendPage(reply, <MyFilePage ctx={ctx} name={c.resident.name} items={file.items} partial={file.failed.length > 0} isNew={isNew} />);
  });

  app.get('/account/profile', { schema: { querystring: doneQuery } }, async (req, reply) => {
    const c = residentCaller(req);
    const profile = await getProfile(c);
    const ctx = pageContext(req, reply);
    const done = (req.query as { done?: string }).done;
    const notice = done === 'saved' ? ctx.t('residents.profile.saved') : done === 'emailChanged' ? ctx.t('residents.emailChange.done') : undefined;
    return sendPage(reply, <ProfilePage ctx={ctx} values={valuesOf(profile)} notice={notice} />);
  });

  app.post('/account/profile', { schema: { body: profileForm.bodySchema } }, async (req, reply) => {
    const c = residentCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = profileForm.parse(req.body, ctx.t);
    const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
    const phone = errors.phone ? undefined : phoneError(parsed.values.phone, ctx.t, 'residents.profile.phone');
    if (phone) errors.phone = phone;
    checkBirthDate(parsed.values, errors, todayIn(ctx.tenant.timeZone), ctx.t, 'residents.profile.birthDate');
    // Keep the error summary in the order of the form.
    const ordered = Object.fromEntries(Object.keys(profileForm.fields).filter((k) => errors[k]).map((k) => [k, errors[k]!]));
    const v = parsed.values;
    if (Object.keys(ordered).length > 0) return sendPage(reply, <ProfilePage ctx={ctx} values={v} errors={ordered} />, 422);
    const result = await updateProfile(c, key, {
      name: v.name,
      email: v.email,
      phone: v.phone,
      locale: v.locale as 'fr' | 'en',
      address: v.address,
      notifications: { updates: v.notifyUpdates === 'yes', reminders: v.notifyReminders === 'yes', news: v.notifyNews === 'yes' },
      birthDate: v.birthDate,
    });
    if (result.emailChange === 'codeSent') return seeOther(reply, `/${req.locale}/account/profile/email`);
    if (result.emailChange === 'wait') {
      const errors = { email: ctx.t('residents.profile.emailWait', { minutes: result.waitMinutes }) };
      return sendPage(reply, <ProfilePage ctx={ctx} values={v} errors={errors} />, 429);
    }
    return seeOther(reply, `/${req.locale}/account/profile?done=saved`);
  });

  app.get('/account/profile/email', async (req, reply) => {
    const c = residentCaller(req);
    const email = await pendingEmailChange(c);
    return sendPage(reply, <EmailChangePage ctx={pageContext(req, reply)} email={email} />);
  });

  app.post('/account/profile/email', { schema: { body: { type: 'object', properties: { code: { type: 'string', maxLength: 100 }, _csrf: { type: 'string', maxLength: 200 } }, additionalProperties: false } }, config: tight }, async (req, reply) => {
    const c = residentCaller(req);
    const ctx = pageContext(req, reply);
    const email = await pendingEmailChange(c);
    const code = normalizeCode((req.body as { code?: string }).code ?? '');
    if (code === null) return sendPage(reply, <EmailChangePage ctx={ctx} email={email} errors={{ code: ctx.t('residents.code.format') }} />, 422);
    const result = await confirmEmailChange(c, key, code);
    if (result.ok) return seeOther(reply, `/${req.locale}/account/profile?done=emailChanged`);
    const message = result.reason === 'taken' ? ctx.t('residents.emailChange.taken') : attemptMessage(ctx.t, result);
    return sendPage(reply, <EmailChangePage ctx={ctx} email={email} errors={{ code: message }} />, result.reason === 'taken' ? 409 : 401);
  });
}
