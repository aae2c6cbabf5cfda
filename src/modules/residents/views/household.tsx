/** The household pages: the list, the add/change form, and the confirmation before removing. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Banner, Table } from '../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { Member } from '../household.ts';
import { HOUSEHOLD_MAX, RELATIONSHIPS } from '../schemas.ts';
import { Radios } from '../../../web/components/choices.tsx';

export function HouseholdPage(props: { ctx: PageContext; members: Member[]; notice?: string | undefined }) {
  const { ctx, members } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('residents.household.title')}>
      {props.notice ? (
        <Banner ctx={ctx} kind="success">
          <p>{props.notice}</p>
        </Banner>
      ) : null}
      <h1>{t('residents.household.title')}</h1>
      <p class="lead">{t('residents.household.intro')}</p>
      <Table
        caption={t('residents.household.caption')}
        rows={members}
        rowKey={(m) => m.id}
        empty={t('residents.household.empty')}
        columns={[
          { header: t('residents.household.name'), cell: (m) => m.name },
          { header: t('residents.household.birthDate'), cell: (m) => m.birthDate },
          { header: t('residents.household.relationship'), cell: (m) => t(`residents.household.relationships.${m.relationship}`) },
          {
            header: t('residents.household.actions'),
            cell: (m) => (
              <span class="actions">
                <a href={href(ctx, `/account/household/${m.id}`)}>
                  {t('residents.household.edit')}
                  <span class="visually-hidden"> {m.name}</span>
                </a>
                <a href={href(ctx, `/account/household/${m.id}/remove`)}>
                  {t('residents.household.remove')}
                  <span class="visually-hidden"> {m.name}</span>
                </a>
              </span>
            ),
          },
        ]}
      />
      {members.length < HOUSEHOLD_MAX ? (
        <p>
          <a class="button button--primary" href={href(ctx, '/account/household/new')}>
            {t('residents.household.add')}
          </a>
        </p>
      ) : (
        <p>{t('residents.household.full', { max: HOUSEHOLD_MAX })}</p>
      )}
      <p>
        <a href={href(ctx, '/account')}>{t('residents.household.back')}</a>
      </p>
    </Layout>
  );
}

export interface MemberValues {
  name: string;
  birthDate: string;
  relationship: string;
}

/** Adds a person (no `memberId`) or changes one. */
export function MemberFormPage(props: { ctx: PageContext; memberId?: string; currentName?: string; values: MemberValues; errors?: FieldErrors }) {
  const { ctx, values, errors = {} } = props;
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  const title = props.memberId ? t('residents.household.form.editTitle', { name: props.currentName ?? '' }) : t('residents.household.form.addTitle');
  const action = href(ctx, props.memberId ? `/account/household/${props.memberId}` : '/account/household/new');
  return (
    <Layout ctx={ctx} title={title} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{title}</h1>
      <PostForm ctx={ctx} action={action}>
        <TextField ctx={ctx} name="name" label={t('residents.household.form.name')} value={values.name} error={errors.name} maxLength={200} autocomplete="off" required />
        <TextField
          ctx={ctx}
          name="birthDate"
          label={t('residents.household.form.birthDate')}
          hint={t('residents.household.form.birthDateHint')}
          value={values.birthDate}
          error={errors.birthDate}
          autocomplete="off"
          maxLength={10}
          required
        />
        <Radios
          ctx={ctx}
          name="relationship"
          legend={t('residents.household.form.relationship')}
          value={values.relationship}
          error={errors.relationship}
          options={RELATIONSHIPS.map((r) => ({ value: r, label: t(`residents.household.relationships.${r}`) }))}
        />
        <Button>{t(props.memberId ? 'residents.household.form.submitEdit' : 'residents.household.form.submitAdd')}</Button>
      </PostForm>
      <p>
        <a href={href(ctx, '/account/household')}>{t('residents.household.form.cancel')}</a>
      </p>
    </Layout>
  );
}

export function RemoveMemberPage(props: { ctx: PageContext; member: Member }) {
  const { ctx, member } = props;
  const { t } = ctx;
  const title = t('residents.household.removeConfirm.title', { name: member.name });
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('residents.household.removeConfirm.body')}</p>
      <PostForm ctx={ctx} action={href(ctx, `/account/household/${member.id}/remove`)}>
        <div class="actions">
          <Button variant="warning">{t('residents.household.removeConfirm.submit')}</Button>
          <a href={href(ctx, '/account/household')}>{t('residents.household.removeConfirm.cancel')}</a>
        </div>
      </PostForm>
    </Layout>
  );
}
