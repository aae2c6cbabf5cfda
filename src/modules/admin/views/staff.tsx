/** Staff accounts: the list, the invitation form, and one account's page. */
import { Button, ErrorLine, ErrorSummary, PostForm, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { Pagination, Table, Tag, type TagTone } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { formatDateTime } from '../../../platform/i18n.ts';
import type { Department } from '../../departments/service.ts';
import type { StaffAccount, StaffStatus } from '../service.ts';
import { ROLES } from '../service.ts';
import { AdminLayout, type DoneCode } from './layout.tsx';
import { Checkboxes, Radios, Select, type Option } from '../../../web/components/choices.tsx';

const TONES: Record<StaffStatus, TagTone> = { active: 'success', invited: 'info', invitationExpired: 'warning', disabled: 'neutral' };

export function StatusTag({ ctx, status }: { ctx: PageContext; status: StaffStatus }) {
  return <Tag tone={TONES[status]}>{ctx.t(`admin.staff.statuses.${status}`)}</Tag>;
}

function departmentList(ctx: PageContext, departments: Department[], ids: readonly string[]): string {
  const names = departments
    .filter((d) => ids.includes(d.id))
    .map((d) => d.name[ctx.locale])
    .sort((x, y) => x.localeCompare(y, ctx.locale));
  return names.length > 0 ? names.join(', ') : ctx.t('admin.staff.noDepartment');
}

function roleOptions(ctx: PageContext): Option[] {
  return ROLES.map((r) => ({ value: r, label: ctx.t(`admin.roles.${r}`), note: ctx.t(`admin.roleHints.${r}`) }));
}

/** Active departments, plus inactive ones the person is still in (so keeping them is possible). */
function departmentOptions(ctx: PageContext, departments: Department[], current: readonly string[]): Option[] {
  return [...departments]
    .sort((x, y) => x.name[ctx.locale].localeCompare(y.name[ctx.locale], ctx.locale))
    .filter((d) => d.active || current.includes(d.id))
    .map((d) => ({ value: d.id, label: d.name[ctx.locale], ...(d.active ? {} : { note: ctx.t('admin.departments.inactiveNote') }) }));
}

export function StaffListPage(props: {
  ctx: PageContext;
  accounts: StaffAccount[];
  departments: Department[];
  page: number;
  pages: number;
  total: number;
  done?: DoneCode | undefined;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <AdminLayout ctx={ctx} title={t('admin.staff.title')} section="staff" done={props.done}>
      <h1>{t('admin.staff.title')}</h1>
      <p>{t('admin.staff.intro', { count: props.total })}</p>
      <p>
        <a class="button button--primary" href={href(ctx, '/staff/admin/staff/invite')}>
          {t('admin.invite.title')}
        </a>
      </p>
      <Table<StaffAccount>
        caption={t('admin.staff.caption')}
        empty={t('admin.staff.empty')}
        rows={props.accounts}
        rowKey={(a) => a.id}
        columns={[
          { header: t('admin.staff.name'), cell: (a) => <a href={href(ctx, `/staff/admin/staff/${a.id}`)}>{a.name}</a> },
          { header: t('admin.staff.email'), cell: (a) => a.email },
          { header: t('admin.staff.role'), cell: (a) => t(`admin.roles.${a.role}`) },
          { header: t('admin.staff.departments'), cell: (a) => departmentList(ctx, props.departments, a.departmentIds) },
          { header: t('admin.staff.status'), cell: (a) => <StatusTag ctx={ctx} status={a.status} /> },
        ]}
      />
      <Pagination ctx={ctx} page={props.page} pages={props.pages} url={(page) => href(ctx, `/staff/admin/staff?page=${page}`)} />
    </AdminLayout>
  );
}

export interface InviteValues {
  name: string;
  email: string;
  locale: string;
  role: string;
  departments: string[];
}

export function InvitePage(props: { ctx: PageContext; values: InviteValues; errors: FieldErrors; departments: Department[] }) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <AdminLayout ctx={ctx} title={t('admin.invite.title')} section="staff" hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('admin.invite.title')}</h1>
      <p class="lead">{t('admin.invite.intro', { town: ctx.tenant.name[ctx.locale] })}</p>
      <PostForm ctx={ctx} action={href(ctx, '/staff/admin/staff/invite')}>
        <TextField ctx={ctx} name="name" label={t('admin.invite.name')} value={values.name} error={errors.name} maxLength={200} required autocomplete="off" />
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('admin.invite.email')}
          hint={t('admin.invite.emailHint')}
          value={values.email}
          error={errors.email}
          maxLength={254}
          required
          autocomplete="off"
        />
        <Select
          ctx={ctx}
          name="locale"
          label={t('admin.invite.locale')}
          hint={t('admin.invite.localeHint')}
          value={values.locale}
          error={errors.locale}
          required
          options={[
            { value: 'fr', label: t('admin.languages.fr') },
            { value: 'en', label: t('admin.languages.en') },
          ]}
        />
        <Radios ctx={ctx} name="role" legend={t('admin.staff.role')} value={values.role} error={errors.role} options={roleOptions(ctx)} />
        <Checkboxes
          ctx={ctx}
          name="departments"
          legend={t('admin.staff.departments')}
          hint={t('admin.staff.departmentsHint')}
          empty={t('admin.staff.noDepartmentsYet')}
          values={values.departments}
          error={errors.departments}
          options={departmentOptions(ctx, props.departments, [])}
        />
        <Button>{t('admin.invite.submit')}</Button>
      </PostForm>
    </AdminLayout>
  );
}

export function StaffAccountPage(props: {
  ctx: PageContext;
  account: StaffAccount;
  departments: Department[];
  /** What the access form shows: the account's values, or what was sent when it had errors. */
  values: { role: string; departments: string[] };
  errors: FieldErrors;
  done?: DoneCode | undefined;
}) {
  const { ctx, account, errors } = props;
  const { t, locale, tenant } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  const invited = account.status === 'invited' || account.status === 'invitationExpired';
  return (
    <AdminLayout ctx={ctx} title={account.name} section="staff" hasErrors={hasErrors} done={props.done}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, '/staff/admin/staff')}>{t('admin.staff.back')}</a>
      </p>
      <h1>{account.name}</h1>
      <dl class="summary">
        <dt>{t('admin.staff.email')}</dt>
        <dd>{account.email}</dd>
        <dt>{t('admin.staff.role')}</dt>
        <dd>{t(`admin.roles.${account.role}`)}</dd>
        <dt>{t('admin.staff.departments')}</dt>
        <dd>{departmentList(ctx, props.departments, account.departmentIds)}</dd>
        <dt>{t('admin.staff.language')}</dt>
        <dd>{t(`admin.languages.${account.locale}`)}</dd>
        <dt>{t('admin.staff.status')}</dt>
        <dd>
          <StatusTag ctx={ctx} status={account.status} />
          {invited && account.invitationExpiresAt ? (
            <>
              {' '}
              {t(account.status === 'invited' ? 'admin.staff.invitationUntil' : 'admin.staff.invitationExpiredOn', {
                date: formatDateTime(locale, tenant.timeZone, account.invitationExpiresAt),
              })}
            </>
          ) : null}
        </dd>
      </dl>
      <p>
        <a href={href(ctx, `/staff/admin/audit?subject=${account.id}`)}>{t('admin.staff.auditLink')}</a>
      </p>

      <h2>{t('admin.access.title')}</h2>
      {account.isSelf ? <p>{t('admin.access.selfHint')}</p> : null}
      <PostForm ctx={ctx} action={href(ctx, `/staff/admin/staff/${account.id}/access`)}>
        <Radios ctx={ctx} name="role" legend={t('admin.staff.role')} value={props.values.role} error={errors.role} options={roleOptions(ctx)} />
        <Checkboxes
          ctx={ctx}
          name="departments"
          legend={t('admin.staff.departments')}
          hint={t('admin.staff.departmentsHint')}
          empty={t('admin.staff.noDepartmentsYet')}
          values={props.values.departments}
          error={errors.departments}
          options={departmentOptions(ctx, props.departments, account.departmentIds)}
        />
        <Button>{t('admin.access.submit')}</Button>
      </PostForm>

      {invited ? (
        <>
          <h2>{t('admin.resend.title')}</h2>
          <p>{t('admin.resend.intro')}</p>
          <PostForm ctx={ctx} action={href(ctx, `/staff/admin/staff/${account.id}/invitation`)}>
            <Button variant="secondary">{t('admin.resend.submit')}</Button>
          </PostForm>
        </>
      ) : null}

      <h2>{t('admin.mfaReset.title')}</h2>
      <p>{t(account.mfa ? 'admin.mfaReset.on' : 'admin.mfaReset.off')}</p>
      <ErrorLine ctx={ctx} id="mfa" error={errors.mfa} />
      {account.isSelf ? (
        <p>
          <a href={href(ctx, '/staff/mfa')}>{t('admin.mfaReset.selfLink')}</a>
        </p>
      ) : account.mfa ? (
        <>
          <p>{t('admin.mfaReset.intro')}</p>
          <PostForm ctx={ctx} action={href(ctx, `/staff/admin/staff/${account.id}/mfa-reset`)}>
            <Button variant="warning">{t('admin.mfaReset.submit')}</Button>
          </PostForm>
        </>
      ) : null}

      <h2>{t(account.status === 'disabled' ? 'admin.enable.title' : 'admin.disable.title')}</h2>
      <p>{t(account.status === 'disabled' ? 'admin.enable.intro' : 'admin.disable.intro')}</p>
      <ErrorLine ctx={ctx} id="status" error={errors.status} />
      <PostForm ctx={ctx} action={href(ctx, `/staff/admin/staff/${account.id}/status`)}>
        <input type="hidden" name="to" value={account.status === 'disabled' ? 'on' : 'off'} />
        <Button variant={account.status === 'disabled' ? 'secondary' : 'warning'}>
          {t(account.status === 'disabled' ? 'admin.enable.submit' : 'admin.disable.submit')}
        </Button>
      </PostForm>
    </AdminLayout>
  );
}
