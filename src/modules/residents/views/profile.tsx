/** The resident's profile form, and the page confirming a new email address with its code. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Banner } from '../../../web/components/display.tsx';
import { Button, CodeField, ErrorSummary, PostForm, TextArea, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { Radios, YesNoBoxes } from '../../../web/components/choices.tsx';

export interface ProfileValues {
  name: string;
  email: string;
  phone: string;
  locale: string;
  address: string;
  notifyUpdates: string;
  notifyReminders: string;
  notifyNews: string;
  birthDate: string;
}

export function ProfilePage(props: { ctx: PageContext; values: ProfileValues; errors?: FieldErrors; notice?: string | undefined }) {
  const { ctx, values, errors = {} } = props;
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('residents.profile.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {props.notice && !hasErrors ? (
        <Banner ctx={ctx} kind="success">
          <p>{props.notice}</p>
        </Banner>
      ) : null}
      <h1>{t('residents.profile.title')}</h1>
      <p class="lead">{t('residents.profile.intro')}</p>
      <PostForm ctx={ctx} action={href(ctx, '/account/profile')}>
        <TextField ctx={ctx} name="name" label={t('residents.profile.name')} value={values.name} error={errors.name} autocomplete="name" maxLength={200} required />
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('residents.profile.email')}
          hint={t('residents.profile.emailHint')}
          value={values.email}
          error={errors.email}
          autocomplete="email"
          inputMode="email"
          maxLength={254}
          required
        />
        <TextField
          ctx={ctx}
          name="phone"
          type="tel"
          label={t('residents.profile.phone')}
          hint={t('residents.profile.phoneHint')}
          value={values.phone}
          error={errors.phone}
          autocomplete="tel"
          maxLength={30}
        />
        <TextField
          ctx={ctx}
          name="birthDate"
          type="date"
          label={t('residents.profile.birthDate')}
          hint={t('residents.profile.birthDateHint')}
          value={values.birthDate}
          error={errors.birthDate}
          autocomplete="bday"
          maxLength={10}
        />
        <Radios
          ctx={ctx}
          name="locale"
          legend={t('residents.profile.locale')}
          hint={t('residents.profile.localeHint')}
          value={values.locale}
          error={errors.locale}
          options={[
            { value: 'fr', label: 'Français', lang: 'fr-CA' },
            { value: 'en', label: 'English', lang: 'en-CA' },
          ]}
        />
        <TextArea
          ctx={ctx}
          name="address"
          label={t('residents.profile.address')}
          hint={t('residents.profile.addressHint')}
          value={values.address}
          error={errors.address}
          rows={3}
          maxLength={300}
        />
        <YesNoBoxes
          ctx={ctx}
          name="notifications"
          legend={t('residents.profile.notifications')}
          hint={t('residents.profile.notificationsHint')}
          boxes={[
            { name: 'notifyUpdates', label: t('residents.profile.notifyUpdates'), checked: values.notifyUpdates === 'yes' },
            { name: 'notifyReminders', label: t('residents.profile.notifyReminders'), checked: values.notifyReminders === 'yes' },
            { name: 'notifyNews', label: t('residents.profile.notifyNews'), checked: values.notifyNews === 'yes' },
          ]}
        />
        <Button>{t('residents.profile.submit')}</Button>
      </PostForm>
      <p>
        <a href={href(ctx, '/account')}>{t('residents.profile.back')}</a>
      </p>
    </Layout>
  );
}

/** Enter the code sent to the new address. `email` is null when no change is waiting. */
export function EmailChangePage(props: { ctx: PageContext; email: string | null; errors?: FieldErrors }) {
  const { ctx, errors = {} } = props;
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('residents.emailChange.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('residents.emailChange.title')}</h1>
      {props.email ? (
        <>
          <p class="lead">{t('residents.emailChange.sent', { email: props.email })}</p>
          <PostForm ctx={ctx} action={href(ctx, '/account/profile/email')}>
            <CodeField ctx={ctx} label={t('residents.code.label')} hint={t('residents.code.hint')} error={errors.code} />
            <Button>{t('residents.emailChange.submit')}</Button>
          </PostForm>
        </>
      ) : (
        <p class="lead">{t('residents.emailChange.none')}</p>
      )}
      <p>
        <a href={href(ctx, '/account/profile')}>{t(props.email ? 'residents.emailChange.cancel' : 'residents.profile.back')}</a>
      </p>
    </Layout>
  );
}
