/** The code step of staff sign-in: the six digits from the app, or a recovery code. */
import { Layout } from '../../../web/components/Layout.tsx';
import { ErrorSummary, PostForm, TextField, Button, CodeField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';

export function CodePage({ ctx, errors = {}, locked }: { ctx: PageContext; errors?: FieldErrors; locked?: boolean }) {
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('mfa.code.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('mfa.code.title')}</h1>
      {locked ? (
        <>
          <p class="lead">{t('mfa.code.locked', { minutes: 15 })}</p>
          <p>
            <a href={href(ctx, '/staff/sign-in')}>{t('mfa.code.startOver')}</a>
          </p>
        </>
      ) : (
        <>
          <p class="lead">{t('mfa.code.intro')}</p>
          <PostForm ctx={ctx} action={href(ctx, '/staff/sign-in/code')}>
            <CodeField ctx={ctx} label={t('mfa.code.label')} hint={t('mfa.code.hint')} error={errors.code} />
            <Button>{t('mfa.code.submit')}</Button>
          </PostForm>
          <h2>{t('mfa.code.lostHeading')}</h2>
          <p>
            <a href={href(ctx, '/staff/sign-in/recovery')}>{t('mfa.code.useRecovery')}</a>
          </p>
          <p>
            <a href={href(ctx, '/staff/sign-in')}>{t('mfa.code.startOver')}</a>
          </p>
        </>
      )}
    </Layout>
  );
}

export function RecoveryPage({ ctx, errors = {}, locked }: { ctx: PageContext; errors?: FieldErrors; locked?: boolean }) {
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('mfa.recovery.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('mfa.recovery.title')}</h1>
      {locked ? (
        <p class="lead">{t('mfa.code.locked', { minutes: 15 })}</p>
      ) : (
        <>
          <p class="lead">{t('mfa.recovery.intro')}</p>
          <PostForm ctx={ctx} action={href(ctx, '/staff/sign-in/recovery')}>
            <TextField
              ctx={ctx}
              name="recoveryCode"
              label={t('mfa.recovery.label')}
              hint={t('mfa.recovery.hint')}
              error={errors.recoveryCode}
              autocomplete="off"
              maxLength={40}
              required
            />
            <Button>{t('mfa.code.submit')}</Button>
          </PostForm>
          <p>
            <a href={href(ctx, '/staff/sign-in/code')}>{t('mfa.recovery.backToCode')}</a>
          </p>
        </>
      )}
      <p>
        <a href={href(ctx, '/staff/sign-in')}>{t('mfa.code.startOver')}</a>
      </p>
    </Layout>
  );
}
