/** Setting up two-step verification, the recovery codes, and turning it off. */
import { Layout } from '../../../web/components/Layout.tsx';
import { ErrorSummary, PostForm, TextField, Button, CodeField, type FieldErrors } from '../../../web/components/forms.tsx';
import { Banner, Tag } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { formatDateTime } from '../../../platform/i18n.ts';

export interface SetupProps {
  ctx: PageContext;
  /** The QR code as a data: URL, the key grouped by four, and what the app will show. */
  qr: string;
  secretKey: string;
  account: string;
  issuer: string;
  /** An administrator sent here by sign-in: no session until this is done. */
  required: boolean;
  errors?: FieldErrors;
}

export function SetupPage({ ctx, qr, secretKey, account, issuer, required, errors = {} }: SetupProps) {
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('mfa.setup.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('mfa.setup.title')}</h1>
      {required ? <p class="lead">{t('mfa.setup.required')}</p> : <p class="lead">{t('mfa.setup.intro')}</p>}
      <ol>
        <li>{t('mfa.setup.stepApp')}</li>
        <li>{t('mfa.setup.stepScan')}</li>
        <li>{t('mfa.setup.stepCode')}</li>
      </ol>
      <h2>{t('mfa.setup.qrHeading')}</h2>
      <p>
        <img src={qr} alt={t('mfa.setup.qrAlt')} width={200} height={200} />
      </p>
      <h2>{t('mfa.setup.keyHeading')}</h2>
      <p>{t('mfa.setup.keyIntro')}</p>
      <dl class="summary">
        <dt>{t('mfa.setup.key')}</dt>
        <dd>
          <code id="totp-key">{secretKey}</code>
        </dd>
        <dt>{t('mfa.setup.account')}</dt>
        <dd>{account}</dd>
        <dt>{t('mfa.setup.issuer')}</dt>
        <dd>{issuer}</dd>
        <dt>{t('mfa.setup.type')}</dt>
        <dd>{t('mfa.setup.typeValue')}</dd>
      </dl>
      <h2>{t('mfa.setup.confirmHeading')}</h2>
      <PostForm ctx={ctx} action={href(ctx, '/staff/mfa/setup')}>
        <CodeField ctx={ctx} label={t('mfa.code.label')} hint={t('mfa.setup.codeHint')} error={errors.code} />
        <Button>{t('mfa.setup.submit')}</Button>
      </PostForm>
      {required ? (
        <p>
          <a href={href(ctx, '/staff/sign-in')}>{t('mfa.code.startOver')}</a>
        </p>
      ) : (
        <p>
          <a href={href(ctx, '/staff/mfa')}>{t('mfa.manage.back')}</a>
        </p>
      )}
    </Layout>
  );
}

/** The recovery codes, shown once, right after they are made. */
export function RecoveryCodesPage({ ctx, codes, continueTo, enrolled }: { ctx: PageContext; codes: string[]; continueTo: string; enrolled: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.codes.title')}>
      {enrolled ? (
        <Banner ctx={ctx} kind="success">
          <p>{t('mfa.codes.enrolled')}</p>
        </Banner>
      ) : null}
      <h1>{t('mfa.codes.title')}</h1>
      <p class="lead">{t('mfa.codes.intro', { count: codes.length })}</p>
      <ol class="recovery-codes" aria-label={t('mfa.codes.listLabel')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>{t('mfa.codes.keep')}</p>
      <p>
        <a class="button button--primary" href={continueTo}>
          {t('mfa.codes.continue')}
        </a>
      </p>
    </Layout>
  );
}

export interface ManageProps {
  ctx: PageContext;
  enabled: boolean;
  since: Date | null;
  recoveryCodesLeft: number;
  hasPassword: boolean;
  isAdmin: boolean;
  notice?: 'off' | 'recoveryUsed' | undefined;
}

export function ManagePage({ ctx, enabled, since, recoveryCodesLeft, hasPassword, isAdmin, notice }: ManageProps) {
  const { t, locale, tenant } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.manage.title')}>
      <p>
        <a href={href(ctx, '/staff')}>{t('staff.dashboard.title')}</a>
      </p>
      {notice === 'off' ? (
        <Banner ctx={ctx} kind="success">
          <p>{t('mfa.manage.turnedOff')}</p>
        </Banner>
      ) : notice === 'recoveryUsed' ? (
        <Banner ctx={ctx} kind="important">
          <p>{t('mfa.manage.recoveryUsed', { count: recoveryCodesLeft })}</p>
        </Banner>
      ) : null}
      <h1>{t('mfa.manage.title')}</h1>
      <p>{t('mfa.manage.intro')}</p>
      <dl class="summary">
        <dt>{t('mfa.manage.status')}</dt>
        <dd>{enabled ? <Tag tone="success">{t('mfa.manage.on')}</Tag> : <Tag tone="warning">{t('mfa.manage.off')}</Tag>}</dd>
        {enabled && since ? (
          <>
            <dt>{t('mfa.manage.since')}</dt>
            <dd>{formatDateTime(locale, tenant.timeZone, since)}</dd>
            <dt>{t('mfa.manage.codesLeft')}</dt>
            <dd>{recoveryCodesLeft}</dd>
          </>
        ) : null}
      </dl>
      {!hasPassword ? (
        <p>{t('mfa.manage.noPassword')}</p>
      ) : enabled ? (
        <>
          <h2>{t('mfa.manage.codesHeading')}</h2>
          <p>{t('mfa.manage.codesBody')}</p>
          <p>
            <a href={href(ctx, '/staff/mfa/recovery-codes')}>{t('mfa.manage.renewLink')}</a>
          </p>
          <h2>{t('mfa.manage.offHeading')}</h2>
          <p>{isAdmin ? t('mfa.manage.offBodyAdmin') : t('mfa.manage.offBody')}</p>
          <p>
            <a href={href(ctx, '/staff/mfa/disable')}>{t('mfa.manage.offLink')}</a>
          </p>
        </>
      ) : (
        <p>
          <a class="button button--primary" href={href(ctx, '/staff/mfa/setup')}>
            {t('mfa.manage.setUp')}
          </a>
        </p>
      )}
    </Layout>
  );
}

/** Asks for the password again before turning it off or making new recovery codes. */
export function ConfirmPasswordPage({ ctx, purpose, errors = {}, isAdmin }: { ctx: PageContext; purpose: 'disable' | 'renew'; errors?: FieldErrors; isAdmin: boolean }) {
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  const title = purpose === 'disable' ? t('mfa.disable.title') : t('mfa.renew.title');
  return (
    <Layout ctx={ctx} title={title} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{title}</h1>
      <p class="lead">{purpose === 'disable' ? (isAdmin ? t('mfa.manage.offBodyAdmin') : t('mfa.disable.intro')) : t('mfa.renew.intro')}</p>
      <PostForm ctx={ctx} action={href(ctx, purpose === 'disable' ? '/staff/mfa/disable' : '/staff/mfa/recovery-codes')}>
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('staff.signIn.password')}
          hint={t('mfa.confirmPassword.hint')}
          error={errors.password}
          autocomplete="current-password"
          maxLength={1024}
          required
        />
        <Button variant={purpose === 'disable' ? 'warning' : 'primary'}>{purpose === 'disable' ? t('mfa.disable.submit') : t('mfa.renew.submit')}</Button>
      </PostForm>
      <p>
        <a href={href(ctx, '/staff/mfa')}>{t('mfa.manage.back')}</a>
      </p>
    </Layout>
  );
}
