/** Accepting an invitation to the staff area: choose a password, then sign in. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Button, ErrorSummary, PostForm, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { Banner } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { PASSWORD_MIN } from '../../staff/service.ts';

export function AcceptPage(props: { ctx: PageContext; token: string; name: string; email: string; errors: FieldErrors }) {
  const { ctx, errors } = props;
  const { t, tenant, locale } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('admin.accept.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('admin.accept.title')}</h1>
      <p class="lead">{t('admin.accept.intro', { name: props.name, town: tenant.name[locale] })}</p>
      <p>{t('admin.accept.account', { email: props.email })}</p>
      <PostForm ctx={ctx} action={href(ctx, '/staff/invitation')}>
        <input type="hidden" name="token" value={props.token} />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('admin.accept.password')}
          hint={t('admin.accept.passwordHint', { min: PASSWORD_MIN })}
          error={errors.password}
          autocomplete="new-password"
          maxLength={1024}
          required
        />
        <TextField
          ctx={ctx}
          name="confirm"
          type="password"
          label={t('admin.accept.confirm')}
          error={errors.confirm}
          autocomplete="new-password"
          maxLength={1024}
          required
        />
        <Button>{t('admin.accept.submit')}</Button>
      </PostForm>
    </Layout>
  );
}

export function InvitationProblemPage({ ctx, status }: { ctx: PageContext; status: 'invalid' | 'expired' | 'used' }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(`admin.accept.problems.${status}.title`)}>
      <h1>{t(`admin.accept.problems.${status}.title`)}</h1>
      <p>{t(`admin.accept.problems.${status}.body`)}</p>
      <p>
        <a href={href(ctx, '/staff/sign-in')}>{t('admin.accept.signIn')}</a>
      </p>
    </Layout>
  );
}

export function AcceptedPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.accept.doneTitle')}>
      <Banner ctx={ctx} kind="success">
        <p>{t('admin.accept.doneBody')}</p>
      </Banner>
      <h1>{t('admin.accept.doneTitle')}</h1>
      <p>
        <a class="button button--primary" href={href(ctx, '/staff/sign-in')}>
          {t('admin.accept.signIn')}
        </a>
      </p>
    </Layout>
  );
}
