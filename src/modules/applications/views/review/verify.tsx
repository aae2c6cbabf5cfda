/**
 * The public verification page of an issued document (/{fr,en}/verify/{token}): the state in words
 * (never by colour alone), what it is, its number and validity, and the holder's name, nothing more.
 */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Tag, type TagTone } from '../../../../web/components/display.tsx';
import type { PageContext } from '../../../../web/context.ts';
import { formatDay, formatInstantDay } from '../../documents/pdf.ts';
import type { DocumentStatus, Verification } from '../../documents/service.ts';

const TONE: Record<DocumentStatus, TagTone> = { valid: 'success', expired: 'warning', revoked: 'danger', notYetValid: 'info' };

export function VerifyPage({ ctx, doc }: { ctx: PageContext; doc: Verification }) {
  const { t, locale } = ctx;
  const town = ctx.tenant.name[locale];
  return (
    <Layout ctx={ctx} title={t('review.verify.title')}>
      <h1>{t('review.verify.title')}</h1>
      <p class="lead">{t('review.verify.intro', { town })}</p>
      <div class={`banner banner--${doc.status === 'valid' ? 'success' : 'important'}`} role="region" aria-labelledby="verify-result">
        <h2 class="banner__title" id="verify-result">
          {t(`review.verify.${doc.status}`)}
        </h2>
      </div>
      <dl class="summary">
        <dt>{t('review.verify.statusLabel')}</dt>
        <dd>
          <Tag tone={TONE[doc.status]}>{t(`review.verify.status.${doc.status}`)}</Tag>
        </dd>
        <dt>{t('review.verify.what')}</dt>
        <dd>{doc.title[locale]}</dd>
        <dt>{t('review.verify.number')}</dt>
        <dd>{doc.number}</dd>
        <dt>{t('review.verify.holder')}</dt>
        <dd>{doc.holderName}</dd>
        <dt>{t('review.verify.validFrom')}</dt>
        <dd>{formatDay(locale, doc.validFrom)}</dd>
        <dt>{t('review.verify.validUntil')}</dt>
        <dd>{doc.validUntil ? formatDay(locale, doc.validUntil) : t('review.verify.noEnd')}</dd>
        {doc.revokedAt ? (
          <>
            <dt>{t('review.verify.revokedOn')}</dt>
            <dd>{formatInstantDay(locale, ctx.tenant.timeZone, doc.revokedAt)}</dd>
          </>
        ) : null}
      </dl>
      <p class="field__hint">{t('review.verify.privacy')}</p>
    </Layout>
  );
}

export function VerifyNotFoundPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('review.verify.notFoundTitle')}>
      <h1>{t('review.verify.notFoundTitle')}</h1>
      <p>{t('review.verify.notFoundBody', { town: ctx.tenant.name[ctx.locale] })}</p>
    </Layout>
  );
}
