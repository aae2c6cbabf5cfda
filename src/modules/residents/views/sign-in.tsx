/** The residents' sign-in pages: email address, code, and the page a sign-in link opens. */
import { Layout } from '../../../web/components/Layout.tsx';
import { ErrorSummary, PostForm, TextField, Button, CodeField, type FieldErrors } from '../../../web/components/forms.tsx';
import { Banner } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';

const nextQuery = (next: string | undefined) => (next ? `?next=${encodeURIComponent(next)}` : '');

export function SignInPage(props: { ctx: PageContext; email?: string; errors?: FieldErrors; next?: string | undefined; signedOut?: boolean }) {
  const { ctx, errors = {}, next } = props;
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('residents.signIn.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {props.signedOut ? (
        <Banner ctx={ctx} kind="success">
          <p>{t('residents.signIn.signedOut')}</p>
        </Banner>
      ) : null}
      <h1>{t('residents.signIn.title')}</h1>
      {next && !hasErrors ? <p class="lead">{t('residents.signIn.needed')}</p> : null}
      <p>{t('residents.signIn.intro')}</p>
      <PostForm ctx={ctx} action={href(ctx, '/account/sign-in')}>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('residents.signIn.email')}
          hint={t('residents.signIn.emailHint')}
          value={props.email}
          error={errors.email}
          autocomplete="email"
          inputMode="email"
          maxLength={254}
          required
        />
        <Button>{t('residents.signIn.submit')}</Button>
      </PostForm>
      <p>
        <a href={href(ctx, '/staff/sign-in')}>{t('residents.signIn.staff')}</a>
      </p>
    </Layout>
  );
}

/** The code page: a wrong, expired or worn-out code is an error at the code field. */
export function CodePage(props: { ctx: PageContext; email: string; errors?: FieldErrors; next?: string | undefined }) {
  const { ctx, errors = {}, next } = props;
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('residents.code.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('residents.code.title')}</h1>
      <p class="lead">{t('residents.code.sent', { email: props.email })}</p>
      <PostForm ctx={ctx} action={href(ctx, '/account/code')}>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <CodeField ctx={ctx} label={t('residents.code.label')} hint={t('residents.code.hint')} error={errors.code} />
        <Button>{t('residents.code.submit')}</Button>
      </PostForm>
      <p>
        <a href={`${href(ctx, '/account/sign-in')}${nextQuery(next)}`}>{t('residents.code.again')}</a>
      </p>
    </Layout>
  );
}

export function LinkPage(props: { ctx: PageContext; token: string; errors?: FieldErrors }) {
  const { ctx, errors = {} } = props;
  const { t } = ctx;
  const invalid = errors.token;
  return (
    <Layout ctx={ctx} title={t('residents.link.title')} hasErrors={Boolean(invalid)}>
      <h1>{t('residents.link.title')}</h1>
      {invalid ? (
        <>
          <Banner ctx={ctx} kind="important">
            <p>{invalid}</p>
          </Banner>
          <p>
            <a href={href(ctx, '/account/sign-in')}>{t('residents.code.again')}</a>
          </p>
        </>
      ) : (
        <>
          <p class="lead">{t('residents.link.intro')}</p>
          <PostForm ctx={ctx} action={href(ctx, '/account/link')}>
            <input type="hidden" name="token" value={props.token} />
            <Button>{t('residents.link.submit')}</Button>
          </PostForm>
        </>
      )}
    </Layout>
  );
}
