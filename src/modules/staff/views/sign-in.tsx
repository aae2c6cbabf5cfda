import { Layout } from '../../../web/components/Layout.tsx';
import { ErrorSummary, PostForm, TextField, Button, type FieldErrors } from '../../../web/components/forms.tsx';
import { Banner } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';

export interface SignInProps {
  ctx: PageContext;
  email?: string;
  errors?: FieldErrors;
  /** Where to go after signing in (already checked to be a local path). */
  next?: string | undefined;
  signedOut?: boolean;
}

export function SignInPage({ ctx, email, errors = {}, next, signedOut }: SignInProps) {
  const { t, tenant, locale } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('staff.signIn.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {signedOut ? (
        <Banner ctx={ctx} kind="success">
          <p>{t('staff.signIn.signedOut')}</p>
        </Banner>
      ) : null}
      <h1>{t('staff.signIn.title')}</h1>
      {next && !hasErrors ? <p class="lead">{t('staff.signIn.needed')}</p> : null}
      <p>{t('staff.signIn.intro', { town: tenant.name[locale] })}</p>
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
        <Button>{t('staff.signIn.submit')}</Button>
      </PostForm>
    </Layout>
  );
}
