/** The applications' emails to residents, in their language, through the outbox. */
import type { Tx } from '../../db/database.ts';
import { translator, type Locale } from '../../platform/i18n.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import { formatReference } from '../../platform/reference.ts';
import type { Tenant } from '../tenants/service.ts';
import type { Application } from './domain.ts';
import { formatMoney } from './engine/index.ts';

export interface Recipient {
  email: string;
  locale: Locale;
}

/** The receipt sent when an application is submitted. */
export async function mailReceipt(trx: Tx, tenant: Tenant, publicUrl: string, to: Recipient, a: Application): Promise<void> {
  const t = translator(to.locale);
  const payment =
    a.feeCents === 0 ? t('applications.mail.noFee') : t('applications.mail.feeDue', { amount: formatMoney(a.feeCents, to.locale) });
  await enqueueEmail(trx, {
    tenantId: tenant.id,
    dedupeKey: `application:${a.id}:submitted`,
    to: to.email,
    locale: to.locale,
    subject: t('applications.mail.receipt.subject', { service: a.service.name[to.locale], reference: formatReference(a.reference) }),
    text: t('applications.mail.receipt.body', {
      town: tenant.name[to.locale],
      service: a.service.name[to.locale],
      reference: formatReference(a.reference),
      payment,
      link: `${publicUrl}/${to.locale}/applications/${a.id}`,
    }),
  });
}
