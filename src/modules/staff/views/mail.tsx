import { Layout } from '../../../web/components/Layout.tsx';
import { Pagination, Table, Tag, type TagTone } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { formatDateTime } from '../../../platform/i18n.ts';
import type { MailMessage, MailSummary, MailStatus } from '../mailbox.ts';

const TONES: Record<MailStatus, TagTone> = { pending: 'warning', sent: 'success', failed: 'danger' };

export function StatusTag({ ctx, status }: { ctx: PageContext; status: MailStatus }) {
  return <Tag tone={TONES[status]}>{ctx.t(`staff.mail.statuses.${status}`)}</Tag>;
}

export function MailListPage(props: { ctx: PageContext; messages: MailSummary[]; page: number; pages: number }) {
  const { ctx } = props;
  const { t, locale, tenant } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.mail.title')}>
      <p>
        <a href={href(ctx, '/staff')}>{t('staff.dashboard.title')}</a>
      </p>
      <h1>{t('staff.mail.title')}</h1>
      <p>{t('staff.mail.intro')}</p>
      <Table<MailSummary>
        caption={t('staff.mail.caption')}
        empty={t('staff.mail.empty')}
        rows={props.messages}
        rowKey={(m) => m.id}
        columns={[
          { header: t('staff.mail.date'), cell: (m) => formatDateTime(locale, tenant.timeZone, m.createdAt) },
          { header: t('staff.mail.to'), cell: (m) => m.recipient },
          { header: t('staff.mail.subject'), cell: (m) => <a href={href(ctx, `/staff/mail/${m.id}`)}>{m.subject}</a> },
          { header: t('staff.mail.status'), cell: (m) => <StatusTag ctx={ctx} status={m.status} /> },
        ]}
      />
      <Pagination ctx={ctx} page={props.page} pages={props.pages} url={(page) => href(ctx, `/staff/mail?page=${page}`)} />
    </Layout>
  );
}

export function MailMessagePage({ ctx, message }: { ctx: PageContext; message: MailMessage }) {
  const { t, locale, tenant } = ctx;
  const when = (d: Date) => formatDateTime(locale, tenant.timeZone, d);
  return (
    <Layout ctx={ctx} title={t('staff.mail.messageTitle', { subject: message.subject })}>
      <p>
        <a href={href(ctx, '/staff/mail')}>{t('staff.mail.back')}</a>
      </p>
      <h1>{t('staff.mail.messageTitle', { subject: message.subject })}</h1>
      <dl class="summary">
        <dt>{t('staff.mail.to')}</dt>
        <dd>{message.recipient}</dd>
        <dt>{t('staff.mail.subject')}</dt>
        <dd>{message.subject}</dd>
        <dt>{t('staff.mail.status')}</dt>
        <dd>
          <StatusTag ctx={ctx} status={message.status} />
        </dd>
        <dt>{t('staff.mail.date')}</dt>
        <dd>{when(message.createdAt)}</dd>
        <dt>{t('staff.mail.sentAt')}</dt>
        <dd>{message.sentAt ? when(message.sentAt) : t('staff.mail.notSent')}</dd>
        {message.deliveredVia ? (
          <>
            <dt>{t('staff.mail.via')}</dt>
            <dd>{t(`staff.mail.vias.${message.deliveredVia}`)}</dd>
          </>
        ) : null}
        <dt>{t('staff.mail.language')}</dt>
        <dd>{t(`staff.languages.${message.locale}`)}</dd>
        <dt>{t('staff.mail.attempts')}</dt>
        <dd>{message.attempts}</dd>
        {message.lastError ? (
          <>
            <dt>{t('staff.mail.lastError')}</dt>
            <dd>{message.lastError}</dd>
          </>
        ) : null}
      </dl>
      <h2>{t('staff.mail.text')}</h2>
      {message.bodyRemovedAt ? (
        <p>{t('staff.mail.bodyRemoved')}</p>
      ) : (
        <pre class="mail" lang={message.locale === 'fr' ? 'fr-CA' : 'en-CA'}>{message.bodyText}</pre>
      )}
    </Layout>
  );
}
