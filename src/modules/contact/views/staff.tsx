/** The staff pages of the contact form's messages: the list, newest first, and one message. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Pagination, Table } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { formatDateTime } from '../../../platform/i18n.ts';
import type { ContactMessage } from '../service.ts';

/** The first words of a message, for the list. */
function excerpt(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function InboxPage(props: { ctx: PageContext; messages: ContactMessage[]; page: number; pages: number; total: number }) {
  const { ctx } = props;
  const { t, locale, tenant } = ctx;
  return (
    <Layout ctx={ctx} title={t('contact.staff.title')}>
      <p>
        <a href={href(ctx, '/staff')}>{t('staff.dashboard.title')}</a>
      </p>
      <h1>{t('contact.staff.title')}</h1>
      <p>{t('contact.staff.intro', { count: props.total })}</p>
      <Table<ContactMessage>
        caption={t('contact.staff.caption')}
        empty={t('contact.staff.empty')}
        rows={props.messages}
        rowKey={(m) => m.id}
        columns={[
          { header: t('contact.staff.date'), cell: (m) => formatDateTime(locale, tenant.timeZone, m.createdAt) },
          { header: t('contact.staff.reference'), cell: (m) => <a href={href(ctx, `/staff/messages/${m.id}`)}>{m.reference}</a> },
          { header: t('contact.staff.from'), cell: (m) => m.name },
          { header: t('contact.staff.excerpt'), cell: (m) => <span lang={m.locale === 'fr' ? 'fr-CA' : 'en-CA'}>{excerpt(m.message)}</span> },
        ]}
      />
      <Pagination ctx={ctx} page={props.page} pages={props.pages} url={(page) => href(ctx, `/staff/messages?page=${page}`)} />
    </Layout>
  );
}

export function MessagePage({ ctx, message }: { ctx: PageContext; message: ContactMessage }) {
  const { t, locale, tenant } = ctx;
  const title = t('contact.staff.messageTitle', { reference: message.reference });
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={href(ctx, '/staff/messages')}>{t('contact.staff.back')}</a>
      </p>
      <h1>{title}</h1>
      <dl class="summary">
        <dt>{t('contact.staff.date')}</dt>
        <dd>{formatDateTime(locale, tenant.timeZone, message.createdAt)}</dd>
        <dt>{t('contact.staff.from')}</dt>
        <dd>{message.name}</dd>
        <dt>{t('contact.staff.email')}</dt>
        <dd>
          <a href={`mailto:${message.email}?subject=${encodeURIComponent(message.reference)}`}>{message.email}</a>
        </dd>
        <dt>{t('contact.staff.language')}</dt>
        <dd>{t(`contact.staff.languages.${message.locale}`)}</dd>
      </dl>
      <h2>{t('contact.staff.message')}</h2>
      <p class="pre-line" lang={message.locale === 'fr' ? 'fr-CA' : 'en-CA'}>
        {message.message}
      </p>
    </Layout>
  );
}
