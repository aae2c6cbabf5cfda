/**
 * Renewal reminders: some weeks before a licence ends (issued_documents.remind_days_before, set at
 * issue for licences, e.g. the dog licence), its holder gets one email in the document's language
 * with a link to apply again. A periodic job of the queue (platform/periodic.ts), hourly, in every
 * town; each reminder is sent once: the document is marked reminded in the transaction that writes
 * the email, and the email's dedupe key names the document.
 */
import type { Database } from '../../../db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { translator } from '../../../platform/i18n.ts';
import { enqueueEmail } from '../../../platform/outbox/index.ts';
import { registerPeriodicTask } from '../../../platform/periodic.ts';
import { residentForSession } from '../../residents/service.ts';
import { listTenants } from '../../tenants/service.ts';
import * as appsRepo from '../repo.ts';
import { formatDay } from './pdf.ts';
import * as repo from './repo.ts';
import { dayIn } from './service.ts';

export const RENEWAL_QUEUE = 'document-renewal-reminders';

/** One pass over every town (or the towns given); returns how many reminders were written. */
export async function sendRenewalReminders(db: Database, publicUrl: string, now = new Date(), tenantIds?: readonly string[]): Promise<number> {
  let sent = 0;
  for (const tenant of await listTenants(db)) {
    if (tenantIds && !tenantIds.includes(tenant.id)) continue;
    const today = dayIn(tenant.timeZone, now);
    for (;;) {
      const due = await db.withTenant(tenant.id, (trx) => repo.dueForReminder(trx, tenant.id, today, 100));
      if (due.length === 0) break;
      for (const doc of due) {
        await db.withTenant(tenant.id, async (trx) => {
          if (!(await repo.markReminded(trx, tenant.id, doc.id, now))) return;
          const holder = await residentForSession(trx, tenant.id, doc.resident_id);
          if (!holder) return;
          const application = await appsRepo.findApplication(trx, tenant.id, doc.application_id);
          const t = translator(doc.locale);
          const values = {
            town: tenant.name[doc.locale],
            title: doc.title[doc.locale],
            number: doc.number,
            date: formatDay(doc.locale, doc.valid_until!),
            link: `${publicUrl}/${doc.locale}/applications${application ? `/services/${application.service_slug}` : ''}`,
          };
          const id = await enqueueEmail(trx, {
            tenantId: tenant.id,
            dedupeKey: `document:${doc.id}:renewal`,
            to: holder.email,
            locale: doc.locale,
            subject: t('review.mail.renewal.subject', values),
            text: t('review.mail.renewal.body', values),
          });
          if (id) sent += 1;
          await recordAudit(trx, { tenantId: tenant.id, actor: { kind: 'system' }, action: 'document.renewalReminded', subject: { kind: 'issued_document', id: doc.id }, details: { number: doc.number } });
        });
      }
    }
  }
  return sent;
}

registerPeriodicTask({
  queue: RENEWAL_QUEUE,
  everySeconds: 3600,
  run: ({ db, config }) => sendRenewalReminders(db, config.publicUrl),
});
