/** Administrators' staff pages: /staff/admin/staff, invite, one account, its access and status. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FieldErrors } from '../../web/components/forms.tsx';
import { href, type PageContext } from '../../web/context.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http.ts';
import { adminCaller, tickedDepartments } from './caller.ts';
import { accessBody, accessForm, csrfOnlyBody, idParams, inviteBody, inviteForm, pageQuery, toggleBody } from './schemas.ts';
import {
  changeStaffAccess,
  enterAdministration,
  getStaffAccount,
  invitationChoices,
  inviteStaff,
  listStaffAccounts,
  resendInvitation,
  resetStaffMfa,
  setStaffAccountDisabled,
  type AdminCaller,
  type StaffRole,
} from './service.ts';
import { doneCode } from './views/layout.tsx';
import { InvitePage, StaffAccountPage, StaffListPage, type InviteValues } from './views/staff.tsx';

/** The account's page again, with an error on one of its one-button forms (status 422). */
async function accountPageWithError(reply: FastifyReply, ctx: PageContext, caller: AdminCaller, id: string, errors: FieldErrors) {
  const { account, departments } = await getStaffAccount(caller, id);
  return sendPage(
    reply,
    <StaffAccountPage ctx={ctx} account={account} departments={departments} values={{ role: account.role, departments: account.departmentIds }} errors={errors} />,
    422,
  );
}

export async function staffAdminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/staff/admin', async (req, reply) => {
    await enterAdministration(await adminCaller(req));
    return seeOther(reply, `/${req.locale}/staff/admin/staff`);
  });

  app.get('/staff/admin/staff', { schema: { querystring: pageQuery } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const query = req.query as { page?: number; done?: string };
    const result = await listStaffAccounts(caller, query.page ?? 1);
    return sendPage(reply, <StaffListPage ctx={pageContext(req, reply)} {...result} done={doneCode(query.done)} />);
  });

  app.get('/staff/admin/staff/invite', async (req, reply) => {
    const caller = await adminCaller(req);
    const departments = await invitationChoices(caller);
    const values: InviteValues = { name: '', email: '', locale: req.locale, role: 'agent', departments: [] };
    return sendPage(reply, <InvitePage ctx={pageContext(req, reply)} values={values} errors={{}} departments={departments} />);
  });

  app.post('/staff/admin/staff/invite', { schema: { body: inviteBody } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const departments = await invitationChoices(caller);
    const ctx = pageContext(req, reply);
    const parsed = inviteForm.parse(req.body, ctx.t);
    const values: InviteValues = { ...parsed.values, departments: tickedDepartments(req.body) };
    let errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok) {
      const result = await inviteStaff(caller, {
        name: values.name,
        email: values.email,
        role: values.role as StaffRole,
        locale: values.locale === 'en' ? 'en' : 'fr',
        departmentIds: values.departments,
      });
      if (result.ok) return seeOther(reply, href(ctx, `/staff/admin/staff/${result.id}?done=invited`));
      errors = {
        ...(result.errors.email ? { email: ctx.t('admin.errors.emailTaken') } : {}),
        ...(result.errors.departments ? { departments: ctx.t(`admin.errors.departments.${result.errors.departments}`) } : {}),
      };
    } else if (values.role === 'agent' && values.departments.length === 0) {
      errors.departments = ctx.t('admin.errors.departments.required');
    }
    return sendPage(reply, <InvitePage ctx={ctx} values={values} errors={errors} departments={departments} />, 422);
  });

  app.get('/staff/admin/staff/:id', { schema: { params: idParams, querystring: pageQuery } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const { id } = req.params as { id: string };
    const { account, departments } = await getStaffAccount(caller, id.toLowerCase());
    return sendPage(
      reply,
      <StaffAccountPage
        ctx={pageContext(req, reply)}
        account={account}
        departments={departments}
        values={{ role: account.role, departments: account.departmentIds }}
        errors={{}}
        done={doneCode((req.query as { done?: string }).done)}
      />,
    );
  });

  app.post('/staff/admin/staff/:id/access', { schema: { params: idParams, body: accessBody } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const id = (req.params as { id: string }).id.toLowerCase();
    const ctx = pageContext(req, reply);
    const parsed = accessForm.parse(req.body, ctx.t);
    const departments = tickedDepartments(req.body);
    let errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok) {
      const result = await changeStaffAccess(caller, id, { role: parsed.values.role as StaffRole, departmentIds: departments });
      if (result.ok) return seeOther(reply, href(ctx, `/staff/admin/staff/${id}?done=${result.changed ? 'access' : 'unchanged'}`));
      errors = {
        ...(result.errors.role ? { role: ctx.t('admin.errors.lastAdminRole') } : {}),
        ...(result.errors.departments ? { departments: ctx.t(`admin.errors.departments.${result.errors.departments}`) } : {}),
      };
    }
    const { account, departments: all } = await getStaffAccount(caller, id);
    return sendPage(
      reply,
      <StaffAccountPage ctx={ctx} account={account} departments={all} values={{ role: parsed.values.role, departments }} errors={errors} />,
      422,
    );
  });

  app.post('/staff/admin/staff/:id/status', { schema: { params: idParams, body: toggleBody } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const id = (req.params as { id: string }).id.toLowerCase();
    const disable = (req.body as { to: 'on' | 'off' }).to === 'off';
    const result = await setStaffAccountDisabled(caller, id, disable);
    const ctx = pageContext(req, reply);
    if (result.ok) return seeOther(reply, href(ctx, `/staff/admin/staff/${id}?done=${!result.changed ? 'unchanged' : disable ? 'disabled' : 'enabled'}`));
    return accountPageWithError(reply, ctx, caller, id, { status: ctx.t('admin.errors.lastAdminDisable') });
  });

  app.post('/staff/admin/staff/:id/mfa-reset', { schema: { params: idParams, body: csrfOnlyBody } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const id = (req.params as { id: string }).id.toLowerCase();
    const result = await resetStaffMfa(caller, id);
    const ctx = pageContext(req, reply);
    if (result.ok) return seeOther(reply, href(ctx, `/staff/admin/staff/${id}?done=${result.changed ? 'mfaReset' : 'unchanged'}`));
    return accountPageWithError(reply, ctx, caller, id, { mfa: ctx.t('admin.errors.mfaResetSelf') });
  });

  app.post('/staff/admin/staff/:id/invitation', { schema: { params: idParams, body: csrfOnlyBody } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const id = (req.params as { id: string }).id.toLowerCase();
    const result = await resendInvitation(caller, id);
    const ctx = pageContext(req, reply);
    return seeOther(reply, href(ctx, `/staff/admin/staff/${id}?done=${result.ok ? 'resent' : 'unchanged'}`));
  });
}
