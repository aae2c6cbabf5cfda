/** Departments: the list with the form to create one, and one department's page. */
import { Button, ErrorSummary, PostForm, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { Table, Tag } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { DepartmentDetail, DepartmentSummary } from '../../departments/service.ts';
import { DEPARTMENT_NAME_MAX } from '../../departments/service.ts';
import { AdminLayout, type DoneCode } from './layout.tsx';

export interface DepartmentValues {
  nameFr: string;
  nameEn: string;
}

function ActiveTag({ ctx, active }: { ctx: PageContext; active: boolean }) {
  return <Tag tone={active ? 'success' : 'neutral'}>{ctx.t(active ? 'admin.departments.active' : 'admin.departments.inactive')}</Tag>;
}

function NameFields({ ctx, values, errors }: { ctx: PageContext; values: DepartmentValues; errors: FieldErrors }) {
  const { t } = ctx;
  return (
    <>
      <TextField ctx={ctx} name="nameFr" label={t('admin.departments.nameFr')} value={values.nameFr} error={errors.nameFr} maxLength={DEPARTMENT_NAME_MAX} required />
      <TextField ctx={ctx} name="nameEn" label={t('admin.departments.nameEn')} value={values.nameEn} error={errors.nameEn} maxLength={DEPARTMENT_NAME_MAX} required />
    </>
  );
}

export function DepartmentsPage(props: {
  ctx: PageContext;
  departments: DepartmentSummary[];
  values: DepartmentValues;
  errors: FieldErrors;
  done?: DoneCode | undefined;
}) {
  const { ctx, errors } = props;
  const { t, locale } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <AdminLayout ctx={ctx} title={t('admin.departments.title')} section="departments" hasErrors={hasErrors} done={props.done}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('admin.departments.title')}</h1>
      <p>{t('admin.departments.intro')}</p>
      <Table<DepartmentSummary>
        caption={t('admin.departments.caption')}
        empty={t('admin.departments.empty')}
        rows={[...props.departments].sort((x, y) => Number(y.active) - Number(x.active) || x.name[locale].localeCompare(y.name[locale], locale))}
        rowKey={(d) => d.id}
        columns={[
          { header: t('admin.departments.name'), cell: (d) => <a href={href(ctx, `/staff/admin/departments/${d.id}`)}>{d.name[locale]}</a> },
          { header: t(locale === 'fr' ? 'admin.departments.nameEn' : 'admin.departments.nameFr'), cell: (d) => d.name[locale === 'fr' ? 'en' : 'fr'] },
          { header: t('admin.departments.members'), cell: (d) => d.members, numeric: true },
          { header: t('admin.departments.status'), cell: (d) => <ActiveTag ctx={ctx} active={d.active} /> },
        ]}
      />
      <h2>{t('admin.departments.createTitle')}</h2>
      <PostForm ctx={ctx} action={href(ctx, '/staff/admin/departments')}>
        <NameFields ctx={ctx} values={props.values} errors={errors} />
        <Button>{t('admin.departments.create')}</Button>
      </PostForm>
    </AdminLayout>
  );
}

export function DepartmentPage(props: {
  ctx: PageContext;
  department: DepartmentDetail;
  values: DepartmentValues;
  errors: FieldErrors;
  done?: DoneCode | undefined;
}) {
  const { ctx, department, errors } = props;
  const { t, locale } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <AdminLayout ctx={ctx} title={department.name[locale]} section="departments" hasErrors={hasErrors} done={props.done}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, '/staff/admin/departments')}>{t('admin.departments.back')}</a>
      </p>
      <h1>{department.name[locale]}</h1>
      <p>
        <ActiveTag ctx={ctx} active={department.active} />
      </p>
      <h2>{t('admin.departments.membersTitle')}</h2>
      {department.staff.length === 0 ? (
        <p>{t('admin.departments.noMembers')}</p>
      ) : (
        <ul>
          {department.staff.map((s) => (
            <li>
              <a href={href(ctx, `/staff/admin/staff/${s.id}`)}>{s.name}</a> ({t(`admin.roles.${s.role}`)}
              {s.disabled ? `, ${t('admin.staff.statuses.disabled')}` : ''})
            </li>
          ))}
        </ul>
      )}
      <h2>{t('admin.departments.renameTitle')}</h2>
      <PostForm ctx={ctx} action={href(ctx, `/staff/admin/departments/${department.id}`)}>
        <NameFields ctx={ctx} values={props.values} errors={errors} />
        <Button>{t('admin.departments.rename')}</Button>
      </PostForm>
      <h2>{t(department.active ? 'admin.departments.deactivateTitle' : 'admin.departments.activateTitle')}</h2>
      <p>{t(department.active ? 'admin.departments.deactivateIntro' : 'admin.departments.activateIntro')}</p>
      <PostForm ctx={ctx} action={href(ctx, `/staff/admin/departments/${department.id}/status`)}>
        <input type="hidden" name="to" value={department.active ? 'off' : 'on'} />
        <Button variant={department.active ? 'warning' : 'secondary'}>
          {t(department.active ? 'admin.departments.deactivate' : 'admin.departments.activate')}
        </Button>
      </PostForm>
    </AdminLayout>
  );
}
