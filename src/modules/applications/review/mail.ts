/**
 * The review's emails to the applicant, in the application's language, through the outbox in the
 * transaction of the change. Internal notes and assignments are never sent.
 */
import type { Tx } from '../../../db/database.ts';
import { translator } from '../../../platform/i18n.ts';
import { enqueueEmail } from '../../../platform/outbox/index.ts';
import { formatReference } from '../../../platform/reference.ts';
import { residentForSession } from '../../residents/service.ts';
import { staffContact } from '../../staff/service.ts';
import type { Tenant } from '../../tenants/service.ts';
import type { Application } from '../domain.ts';

export type ReviewMailKind = 'infoRequested' | 'approved' | 'refused' | 'issued' | 'revoked' | 'message' | 'interview';

export interface ReviewMail {
  kind: ReviewMailKind;
  /** Names the event (an event or message id): one email per event. */
  eventId: string;
  /** What the reviewer wrote (the request, the conditions, the reasons, the message), or ''. */
  text: string;
  /** Extra values of the message (the interview's time and place, the document's number). */
  params?: Record<string, string>;
}

/**
 * Tells the application's assigned reviewer that the applicant wrote (or answered a request for
 * information), in the reviewer's language, with a link to the review screen. The message itself is
 * not copied into the email: it stays in the file. Nothing when no one is assigned or the account
 * is disabled (the queue shows the application either way).
 */
export async function mailReviewer(trx: Tx, tenant: Tenant, baseUrl: string, a: Application, messageId: string, answered: boolean): Promise<void> {
  if (!a.assigneeId) return;
  const to = await staffContact(trx, tenant.id, a.assigneeId);
  if (!to) return;
  const t = translator(to.locale);
  const values = {
    town: tenant.name[to.locale],
    service: a.service.name[to.locale],
    reference: formatReference(a.reference),
    link: `${baseUrl}/${to.locale}/staff/applications/${a.id}`,
  };
  const kind = answered ? 'reviewerAnswered' : 'reviewerMessage';
  await enqueueEmail(trx, {
    tenantId: tenant.id,
    dedupeKey: `application:${a.id}:${kind}:${messageId}`,
    to: to.email,
    locale: to.locale,
    subject: t(`review.mail.${kind}.subject`, values),
    text: t(`review.mail.${kind}.body`, values),
  });
}

/** Emails the applicant about a change of their application; nothing when their account is gone. */
export async function mailApplicant(trx: Tx, tenant: Tenant, baseUrl: string, a: Application, mail: ReviewMail): Promise<void> {
  const to = await residentForSession(trx, tenant.id, a.residentId);
  if (!to) return;
  const locale = a.locale;
  const t = translator(locale);
  const values = {
    town: tenant.name[locale],
    service: a.service.name[locale],
    reference: formatReference(a.reference),
    text: mail.text === '' ? t('review.mail.nothingWritten') : mail.text,
    link: `${baseUrl}/${locale}/applications/${a.id}`,
    ...mail.params,
  };
  await enqueueEmail(trx, {
    tenantId: tenant.id,
    dedupeKey: `application:${a.id}:${mail.kind}:${mail.eventId}`,
    to: to.email,
    locale,
    subject: t(`review.mail.${mail.kind}.subject`, values),
    text: t(`review.mail.${mail.kind}.body`, values),
  });
}
