import { Layout } from '../../../web/components/Layout.tsx';
import { ErrorSummary, PostForm, TextField, Button, type FieldErrors } from '../../../web/components/forms.tsx';
import { Banner } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';

export type SignInNotice = 'signedOut' | 'expired' | 'mfaOff';

export interface SignInProps {
  ctx: PageContext;
  email?: string;
  errors?: FieldErrors;
  /** Where to go after signing in (already checked to be a local path). */
  next?: string | undefined;
  notice?: SignInNotice | undefined;
  /** The town's single sign-on, when it has one. */
  sso?: { label: string; passwordSignIn: boolean } | null;
}

export function SignInPage({ ctx, email, errors = {}, next, notice, sso }: SignInProps) {
  const { t, tenant, locale } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  const passwordForm = !sso || sso.passwordSignIn;
  return (
    <Layout ctx={ctx} title={t('staff.signIn.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice === 'signedOut' ? (
        <Banner ctx={ctx} kind="success">
          <p>{t('staff.signIn.signedOut')}</p>
        </Banner>
      ) : notice ? (
        <Banner ctx={ctx} kind="important">
          <p>{t(notice === 'expired' ? 'staff.signIn.expired' : 'staff.signIn.mfaOff')}</p>
        </Banner>
      ) : null}
      <h1>{t('staff.signIn.title')}</h1>
      {next && !hasErrors ? <p class="lead">{t('staff.signIn.needed')}</p> : null}
      <p>{t('staff.signIn.intro', { town: tenant.name[locale] })}</p>
      {sso ? (
        <p id="sso">
          <a class="button button--primary" href={href(ctx, `/staff/sso/start${next ? `?next=${encodeURIComponent(next)}` : ''}`)}>
            {t('staff.signIn.ssoButton', { provider: sso.label })}
          </a>
        </p>
      ) : null}
      {passwordForm ? (
        <>
          {sso ? <h2>{t('staff.signIn.passwordHeading')}</h2> : null}
          <PostForm ctx={ctx} action={href(ctx, '/staff/sign-in')}>
            {next ? <input type="hidden" name="next" value={next} /> : null}
            <TextField
              ctx={ctx}
              name="email"
              type="email"
              label={t('staff.signIn.email')}
              value={email}
              error={errors.email}
              autocomplete="username"
              inputMode="email"
              maxLength={254}
              required
            />
            <TextField
              ctx={ctx}
              name="password"
              type="password"
              label={t('staff.signIn.password')}
              error={errors.password}
              autocomplete="current-password"
              maxLength={1024}
              required
            />
            <Button>{sso ? t('staff.signIn.submitPassword') : t('staff.signIn.submit')}</Button>
          </PostForm>
        </>
      ) : null}
    </Layout>
  );
}
