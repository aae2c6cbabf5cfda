/**
 * A confirmed booking's pass: the QR code (inline SVG, so it shows and prints without JavaScript),
 * the same code as text to type at the door, who and when it is for, and "add to calendar".
 */
import { Layout } from '../../../../web/components/Layout.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { dayIn } from '../../format.ts';
import { sessionWhen } from '../../views/parts.tsx';
import type { Pass } from '../service.ts';
import { groupedText } from '../token.ts';

/** "14 juillet 2026" / "July 14, 2026", in the town's zone. */
function dayOf(ctx: PageContext, at: Date): string {
  return new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: ctx.tenant.timeZone }).format(at);
}

/** The days a pass is valid, in words: one day, or the first and the last. */
export function validDays(ctx: PageContext, validFrom: Date, validUntil: Date): string {
  const last = new Date(validUntil.getTime() - 1);
  const first = dayOf(ctx, validFrom);
  return dayIn(ctx.tenant.timeZone, validFrom) === dayIn(ctx.tenant.timeZone, last)
    ? first
    : ctx.t('passes.pass.validRange', { from: first, to: dayOf(ctx, last) });
}

export function PassPage(props: { ctx: PageContext; pass: Pass; qrSvg: string }) {
  const { ctx, pass } = props;
  const { t, locale } = ctx;
  const { booking } = pass;
  return (
    <Layout ctx={ctx} title={t('passes.pass.title')}>
      <link rel="stylesheet" href="/static/passes.css" />
      <h1>{t('passes.pass.title')}</h1>
      <p>{t('passes.pass.intro')}</p>
      <dl class="summary">
        <dt>{t('passes.pass.activity')}</dt>
        <dd>{booking.activity.name[locale]}</dd>
        <dt>{t('passes.pass.when')}</dt>
        <dd>{sessionWhen(ctx, booking.startsAt, booking.endsAt)}</dd>
        <dt>{t('passes.pass.participant')}</dt>
        <dd>{booking.participant ?? t('bookings.participant.self')}</dd>
        <dt>{t('passes.pass.valid')}</dt>
        <dd>{validDays(ctx, pass.validFrom, pass.validUntil)}</dd>
      </dl>
      <figure class="pass">
        {/* The SVG comes from the qrcode package: only paths and colours, no text from anyone. */}
        <div class="pass__qr" role="img" aria-label={t('passes.pass.qrLabel')} dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
        <figcaption>{t('passes.pass.qrCaption')}</figcaption>
      </figure>
      <h2>{t('passes.pass.codeTitle')}</h2>
      <p>{t('passes.pass.codeHint')}</p>
      <p>
        <code class="pass__code" id="pass-code">
          {groupedText(pass.token)}
        </code>
      </p>
      <p>{t('passes.pass.private')}</p>
      <ul>
        <li>
          <a href={href(ctx, `/bookings/${booking.id}/calendar.ics`)} download={`${booking.activity.slug}.ics`}>
            {t('passes.pass.addToCalendar')}
          </a>
        </li>
        <li>
          <a href={href(ctx, '/bookings/calendar')}>{t('passes.pass.feed')}</a>
        </li>
        <li>
          <a href={href(ctx, `/bookings/${booking.id}`)}>{t('passes.pass.back')}</a>
        </li>
      </ul>
    </Layout>
  );
}
