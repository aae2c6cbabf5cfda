/** Pieces shared by the resident pages of service requests: status tag, timeline, photos, file field. */
import { ErrorLine } from '../../../web/components/forms.tsx';
import { Tag, type TagTone } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { formatDateTime } from '../../../platform/i18n.ts';
import type { RequestEvent, RequestStatus } from '../types.ts';

export const STATUS_TONE: Record<RequestStatus, TagTone> = {
  new: 'info',
  acknowledged: 'info',
  in_progress: 'warning',
  closed: 'success',
};

export function StatusTag({ ctx, status }: { ctx: PageContext; status: RequestStatus }) {
  return <Tag tone={STATUS_TONE[status]}>{ctx.t(`requests.status.${status}`)}</Tag>;
}

export const when = (ctx: PageContext, date: Date) => formatDateTime(ctx.locale, ctx.tenant.timeZone, date);

/** The page's own stylesheet (map, timeline, photos); a stylesheet link is allowed in the body. */
export function RequestsStyles() {
  return <link rel="stylesheet" href="/static/requests.css" />;
}

function eventTitle(ctx: PageContext, e: RequestEvent): string {
  const { t } = ctx;
  switch (e.kind) {
    case 'created':
      return t('requests.timeline.created');
    case 'status_changed':
      return t('requests.timeline.statusChanged', { status: t(`requests.status.${e.toStatus ?? 'new'}`) });
    case 'public_reply':
      return t('requests.timeline.reply');
    case 'closed':
      return t('requests.timeline.closed');
    case 'reopened':
      return t('requests.timeline.reopened');
    case 'merged':
      return t('requests.timeline.merged');
    default:
      return t('requests.timeline.update');
  }
}

/** The public timeline, oldest first, each step with its date, what happened and what was written. */
export function Timeline({ ctx, events }: { ctx: PageContext; events: RequestEvent[] }) {
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li class="timeline__item" key={e.id}>
          <p class="timeline__title">
            <strong>{eventTitle(ctx, e)}</strong> <span class="timeline__date">{when(ctx, e.createdAt)}</span>
          </p>
          {e.body ? (
            <p class="timeline__body" lang={e.bodyLocale && e.bodyLocale !== ctx.locale ? (e.bodyLocale === 'fr' ? 'fr-CA' : 'en-CA') : undefined}>
              {e.body}
            </p>
          ) : null}
          {e.photoIds.map((id, i) => (
            <p key={id}>
              <a href={href(ctx, `/requests/photos/${id}`)}>{ctx.t('requests.track.photoOfStep', { n: i + 1 })}</a>
            </p>
          ))}
        </li>
      ))}
    </ol>
  );
}

/** A file input with label, hint and error, like the design system's fields. */
export function FileField(props: { ctx: PageContext; name: string; label: string; hint?: string; error?: string | undefined; accept: string }) {
  const { ctx, name, error, hint } = props;
  const described = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label class="field__label" for={name}>
        {props.label}
        <span class="field__optional"> {ctx.t('common.optional')}</span>
      </label>
      {hint ? (
        <p class="field__hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <ErrorLine ctx={ctx} id={`${name}-error`} error={error} />
      <input class="field__file" type="file" id={name} name={name} accept={props.accept} aria-invalid={error ? 'true' : undefined} aria-describedby={described} />
    </div>
  );
}
