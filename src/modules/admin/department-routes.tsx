/** Administrators' department pages: /staff/admin/departments (list and create), one department (rename, deactivate). */
import type { FastifyInstance } from 'fastify';
import type { FieldErrors } from '../../web/components/forms.tsx';
import { href, type PageContext } from '../../web/context.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http.ts';
import {
  createDepartment,
  getDepartment,
  listDepartmentsToManage,
  renameDepartment,
  setDepartmentActive,
  type DepartmentNameErrors,
} from '../departments/service.ts';
import { adminCaller } from './caller.ts';
import { departmentBody, departmentForm, idParams, pageQuery, toggleBody } from './schemas.ts';
import { DepartmentPage, DepartmentsPage } from './views/departments.tsx';
import { doneCode } from './views/layout.tsx';

const EMPTY = { nameFr: '', nameEn: '' };

function nameErrors(ctx: PageContext, errors: DepartmentNameErrors): FieldErrors {
  return {
    ...(errors.nameFr ? { nameFr: ctx.t('admin.errors.departmentTaken', { label: ctx.t('admin.departments.nameFr') }) } : {}),
    ...(errors.nameEn ? { nameEn: ctx.t('admin.errors.departmentTaken', { label: ctx.t('admin.departments.nameEn') }) } : {}),
  };
}

export async function departmentAdminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/staff/admin/departments', { schema: { querystring: pageQuery } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const departments = await listDepartmentsToManage(caller);
    const done = doneCode((req.query as { done?: string }).done);
    return sendPage(reply, <DepartmentsPage ctx={pageContext(req, reply)} departments={departments} values={EMPTY} errors={{}} done={done} />);
  });

  app.post('/staff/admin/departments', { schema: { body: departmentBody } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const departments = await listDepartmentsToManage(caller);
    const ctx = pageContext(req, reply);
    const parsed = departmentForm.parse(req.body, ctx.t);
    let errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok) {
      const result = await createDepartment(caller, { fr: parsed.values.nameFr, en: parsed.values.nameEn });
      if (result.ok) return seeOther(reply, href(ctx, '/staff/admin/departments?done=created'));
      errors = nameErrors(ctx, result.errors);
    }
    return sendPage(reply, <DepartmentsPage ctx={ctx} departments={departments} values={parsed.values} errors={errors} />, 422);
  });

  app.get('/staff/admin/departments/:id', { schema: { params: idParams, querystring: pageQuery } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const department = await getDepartment(caller, (req.params as { id: string }).id.toLowerCase());
    const done = doneCode((req.query as { done?: string }).done);
    const values = { nameFr: department.name.fr, nameEn: department.name.en };
    return sendPage(reply, <DepartmentPage ctx={pageContext(req, reply)} department={department} values={values} errors={{}} done={done} />);
  });

  app.post('/staff/admin/departments/:id', { schema: { params: idParams, body: departmentBody } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const id = (req.params as { id: string }).id.toLowerCase();
    const ctx = pageContext(req, reply);
    const parsed = departmentForm.parse(req.body, ctx.t);
    let errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok) {
      const result = await renameDepartment(caller, id, { fr: parsed.values.nameFr, en: parsed.values.nameEn });
      if (result.ok) return seeOther(reply, href(ctx, `/staff/admin/departments/${id}?done=renamed`));
      errors = nameErrors(ctx, result.errors);
    }
    const department = await getDepartment(caller, id);
    return sendPage(reply, <DepartmentPage ctx={ctx} department={department} values={parsed.values} errors={errors} />, 422);
  });

  app.post('/staff/admin/departments/:id/status', { schema: { params: idParams, body: toggleBody } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const id = (req.params as { id: string }).id.toLowerCase();
    const active = (req.body as { to: 'on' | 'off' }).to === 'on';
    await setDepartmentActive(caller, id, active);
    return seeOther(reply, href(pageContext(req, reply), `/staff/admin/departments/${id}?done=${active ? 'activated' : 'deactivated'}`));
  });
}
