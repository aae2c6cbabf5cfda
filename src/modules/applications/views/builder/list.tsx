/** The town's application services, and the form that creates one. */
import { Radios, Select } from '../../../../web/components/choices.tsx';
import { Table, Tag } from '../../../../web/components/display.tsx';
import { Button, PostForm, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { Department } from '../../../departments/service.ts';
import type { ApplicationService } from '../../domain.ts';
import { BilingualFields, BuilderLayout, type BuilderDone } from './parts.tsx';

export const SERVICE_KINDS = ['permit', 'licence', 'program'] as const;

export function kindOptions(ctx: PageContext) {
  return SERVICE_KINDS.map((k) => ({ value: k, label: ctx.t(`applications.kind.${k}`) }));
}

export function departmentOptions(ctx: PageContext, departments: Department[]) {
  return [{ value: '', label: ctx.t('applications.builder.noDepartment') }, ...departments.filter((d) => d.active).map((d) => ({ value: d.id, label: d.name[ctx.locale] }))];
}

export function ServicesAdminPage(props: {
  ctx: PageContext;
  services: Array<{ service: ApplicationService; publishedVersion: number | null }>;
  departments: Department[];
  values: Record<string, string>;
  errors: FieldErrors;
  done?: BuilderDone | undefined;
  idempotencyKey: string;
}) {
  const { ctx, values, errors } = props;
  const { t, locale } = ctx;
  return (
    <BuilderLayout ctx={ctx} title={t('applications.builder.title')} errors={errors} done={props.done}>
      <h1>{t('applications.builder.title')}</h1>
      <p class="lead">{t('applications.builder.lead')}</p>
      <Table
        caption={t('applications.builder.caption')}
        rows={props.services}
        rowKey={(s) => s.service.id}
        empty={t('applications.builder.empty')}
        columns={[
          { header: t('applications.builder.name'), cell: (s) => <a href={href(ctx, `/staff/services/${s.service.id}`)}>{s.service.name[locale]}</a> },
          { header: t('applications.builder.kind'), cell: (s) => t(`applications.kind.${s.service.kind}`) },
          {
            header: t('applications.builder.state'),
            cell: (s) =>
              s.publishedVersion === null ? (
                <Tag tone="warning">{t('applications.builder.notPublished')}</Tag>
              ) : (
                <Tag tone={s.service.active ? 'success' : 'neutral'}>
                  {t(s.service.active ? 'applications.builder.publishedVersion' : 'applications.builder.inactive', { version: s.publishedVersion })}
                </Tag>
              ),
          },
        ]}
      />
      <h2>{t('applications.builder.create')}</h2>
      <PostForm ctx={ctx} action={href(ctx, '/staff/services')}>
        <input type="hidden" name="_idem" value={props.idempotencyKey} />
        <BilingualFields ctx={ctx} name="name" label={t('applications.builder.name')} values={values} errors={errors} maxLength={120} />
        <TextField ctx={ctx} name="slug" label={t('applications.builder.slug')} hint={t('applications.builder.slugHint')} value={values.slug} error={errors.slug} required maxLength={63} />
        <Radios ctx={ctx} name="kind" legend={t('applications.builder.kind')} value={values.kind ?? 'permit'} error={errors.kind} options={kindOptions(ctx)} />
        <BilingualFields ctx={ctx} name="summary" label={t('applications.builder.summary')} values={values} errors={errors} maxLength={1000} multiline required={false} />
        <Select ctx={ctx} name="department" label={t('applications.builder.department')} value={values.department ?? ''} error={errors.department} options={departmentOptions(ctx, props.departments)} required={false} />
        <TextField ctx={ctx} name="target_days" label={t('applications.builder.targetDays')} value={values.target_days ?? '30'} error={errors.target_days} required maxLength={3} inputMode="numeric" />
        <Button>{t('applications.builder.createButton')}</Button>
      </PostForm>
    </BuilderLayout>
  );
}
