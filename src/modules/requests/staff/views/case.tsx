/**
 * The staff case page: the request (map link, photos, answers, contact), its whole history with
 * internal notes marked as such, and the forms to act on it: public reply, internal note, status,
 * assignment, type, department, merge, close with a note (photo optional). All plain POST forms.
 */
import { Select } from '../../../../web/components/choices.tsx';
import { Banner } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextArea, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { Layout } from '../../../../web/components/Layout.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { multipartAction } from '../../../../platform/uploads.ts';
import type { RequestEvent } from '../../types.ts';
import type { StaffCase } from '../casework.ts';
import { formatWhen, StatusTag, TimeLeft } from './parts.tsx';
import { RequestsStyles } from '../../views/parts.tsx';
import type { Config } from '../../../../config.ts';

export type CaseDone = 'entered' | 'replied' | 'noted' | 'status' | 'assigned' | 'retyped' | 'moved' | 'merged' | 'closed';
export type CaseValues = Record<string, string>;

function answerText(ctx: PageContext, sc: StaffCase, code: string, value: unknown): string {
  const q = sc.questions.find((x) => x.code === code);
  const keys = Array.isArray(value) ? value.map(String) : [String(value)];
  if (q && (q.datatype === 'singlevaluelist' || q.datatype === 'multivaluelist')) return keys.map((k) => q.values.find((v) => v.key === k)?.name[ctx.locale] ?? k).join(', ');
  return keys.join(', ');
}

function EventItem({ ctx, sc, e }: { ctx: PageContext; sc: StaffCase; e: RequestEvent }) {
  const { t } = ctx;
  const who = e.authorKind === 'staff' && e.authorId ? (sc.staffNames[e.authorId] ?? t('queue.case.someone')) : t(`queue.case.authors.${e.authorKind}`);
  const d = e.details;
  const str = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  let what = t(`queue.case.events.${e.kind}`);
  if (e.kind === 'status_changed' || e.kind === 'reopened') what = t('queue.case.events.statusTo', { status: t(`queue.status.${e.toStatus ?? 'new'}`) });
  if (e.kind === 'assigned') what = str('to') ? t('queue.case.events.assignedTo', { name: sc.staffNames[str('to')] ?? '' }) : t('queue.case.events.unassigned');
  if (e.kind === 'type_changed') what = t('queue.case.events.typeTo', { type: sc.types.find((x) => x.code === str('toType'))?.name[ctx.locale] ?? str('toType') });
  if (e.kind === 'department_changed') what = t('queue.case.events.departmentTo', { department: sc.departments.find((x) => x.id === str('to'))?.name[ctx.locale] ?? t('queue.filters.noDepartment') });
  if (e.kind === 'merged') what = str('into') ? t('queue.case.events.mergedInto', { reference: str('reference') }) : t('queue.case.events.mergedFrom', { reference: str('reference') });
  return (
    <li class={e.public ? 'event' : 'event event--internal'}>
      <p>
        <strong>{what}</strong> · {who} · {formatWhen(ctx, e.createdAt)}{' '}
        {e.public ? <span>({t('queue.case.publicEvent')})</span> : <strong class="tag tag--warning">{t('queue.case.internalEvent')}</strong>}
      </p>
      {e.body ? <p class="event__body" lang={e.bodyLocale ?? undefined}>{e.body}</p> : null}
      {e.photoIds.map((id, i) => (
        <img src={href(ctx, `/staff/requests/photos/${id}`)} alt={t('queue.case.eventPhoto', { n: i + 1 })} class="case-photo" />
      ))}
    </li>
  );
}

export function CasePage(props: { ctx: PageContext; sc: StaffCase; map: Config['map']; errors: FieldErrors; values: CaseValues; done?: CaseDone | undefined; idem: string }) {
  const { ctx, sc, errors, values: v } = props;
  const { t, locale } = ctx;
  const r = sc.request;
  const open = r.status !== 'closed';
  const action = (path: string) => href(ctx, `/staff/requests/${r.reference}/${path}`);
  const department = sc.departments.find((d) => d.id === r.departmentId);
  const reportPhotos = sc.photos.filter((p) => p.eventId === null);
  return (
    <Layout ctx={ctx} title={t('queue.case.title', { reference: r.reference })} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, '/staff/requests')}>{t('queue.case.back')}</a>
      </p>
      {props.done ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`queue.case.done.${props.done}`)}</p>
        </Banner>
      ) : null}
      <h1>{t('queue.case.title', { reference: r.reference })}</h1>
      <p class="lead">{r.type.name[locale]}</p>
      <p>
        <StatusTag ctx={ctx} status={r.status} /> <TimeLeft ctx={ctx} ms={open ? sc.dueAt.getTime() - Date.now() : null} />
        {r.reopened ? <strong class="tag tag--warning"> {t('queue.reopened')}</strong> : null}
      </p>
      {r.mergedInto ? (
        <p>
          {t('queue.case.mergedInto')} <a href={href(ctx, `/staff/requests/${r.mergedInto.reference}`)}>{r.mergedInto.reference}</a>
        </p>
      ) : null}
      <dl class="summary">
        <dt>{t('queue.case.department')}</dt>
        <dd>{department ? department.name[locale] : t('queue.filters.noDepartment')}</dd>
        <dt>{t('queue.case.assignee')}</dt>
        <dd>{r.assigneeId ? (sc.staffNames[r.assigneeId] ?? '') : t('queue.unassigned')}</dd>
        <dt>{t('queue.case.channel')}</dt>
        <dd>{t(`queue.channels.${r.channel}`)}{r.createdBy ? ` (${t('queue.case.enteredBy', { name: sc.staffNames[r.createdBy] ?? '' })})` : ''}</dd>
        <dt>{t('queue.case.requested')}</dt>
        <dd>{formatWhen(ctx, r.requestedAt)}</dd>
        <dt>{t('queue.case.target')}</dt>
        <dd>{formatWhen(ctx, sc.dueAt)}</dd>
        {r.closedAt ? (
          <>
            <dt>{t('queue.case.closed')}</dt>
            <dd>{formatWhen(ctx, r.closedAt)}</dd>
          </>
        ) : null}
        <dt>{t('queue.case.followers')}</dt>
        <dd>{r.followers}</dd>
        <dt>{t('queue.case.contact')}</dt>
        <dd>{[r.contact.name, r.contact.email, r.contact.phone].filter(Boolean).join(' · ') || (r.residentId ? t('queue.case.residentAccount') : t('queue.case.noContact'))}</dd>
      </dl>
      <h2>{t('queue.case.where')}</h2>
      {r.address ? <p>{r.address}</p> : null}
      {r.location && props.map.tileUrl ? (
        // A map of the point when JavaScript and the tiles are there (static/requests-case-map.js); the
        // coordinates and the link below say the same without them.
        <div class="map-block" hidden data-module-map="view">
          <RequestsStyles />
          <div
            id="case-map"
            class="map"
            data-tiles={props.map.tileUrl}
            data-attribution={props.map.attribution}
            data-lat={String(r.location.lat)}
            data-lng={String(r.location.lng)}
            data-label={t('queue.case.mapLabel')}
            data-tile-error={t('queue.case.tileError')}
          ></div>
          <script type="module" src="/static/requests-case-map.js" nonce={ctx.nonce}></script>
        </div>
      ) : null}
      {r.location ? (
        <p>
          {t('queue.case.point', { lat: r.location.lat.toFixed(6), lng: r.location.lng.toFixed(6) })}{' '}
          <a href={`https://www.openstreetmap.org/?mlat=${r.location.lat}&mlon=${r.location.lng}#map=18/${r.location.lat}/${r.location.lng}`} rel="noopener noreferrer">
            {t('queue.case.openMap')}
          </a>
        </p>
      ) : (
        <p>{t('queue.case.noPoint')}</p>
      )}
      <h2>{t('queue.case.report')}</h2>
      <p class="description">{r.description || t('queue.case.noDescription')}</p>
      {Object.keys(r.answers).length > 0 ? (
        <dl class="summary">
          {Object.entries(r.answers).map(([code, value]) => (
            <>
              <dt>{sc.questions.find((q) => q.code === code)?.label[locale] ?? code}</dt>
              <dd>{answerText(ctx, sc, code, value)}</dd>
            </>
          ))}
        </dl>
      ) : null}
      {reportPhotos.map((p, i) => (
        <img src={href(ctx, `/staff/requests/photos/${p.id}`)} alt={t('queue.case.photo', { n: i + 1 })} class="case-photo" width={Math.min(p.width, 480)} />
      ))}
      <h2>{t('queue.case.history')}</h2>
      <ol class="timeline">
        {sc.events.map((e) => (
          <EventItem ctx={ctx} sc={sc} e={e} />
        ))}
      </ol>
      {open ? (
        <>
          <h2>{t('queue.case.replyTitle')}</h2>
          <PostForm ctx={ctx} action={action('reply')}>
            <TextArea ctx={ctx} name="reply" label={t('queue.case.reply')} hint={t('queue.case.replyHint')} value={v.reply} error={errors.reply} maxLength={4000} required />
            <Button>{t('queue.case.sendReply')}</Button>
          </PostForm>
          <h2>{t('queue.case.noteTitle')}</h2>
          <PostForm ctx={ctx} action={action('note')}>
            <TextArea ctx={ctx} name="note" label={t('queue.case.note')} hint={t('queue.case.noteHint')} value={v.note} error={errors.note} maxLength={4000} required />
            <Button variant="secondary">{t('queue.case.addNote')}</Button>
          </PostForm>
          <h2>{t('queue.case.statusTitle')}</h2>
          <PostForm ctx={ctx} action={action('status')}>
            <Select
              ctx={ctx}
              name="status"
              label={t('queue.case.newStatus')}
              value={v.status ?? ''}
              error={errors.status}
              options={(['new', 'acknowledged', 'in_progress'] as const).map((s) => ({ value: s, label: t(`queue.status.${s}`), disabled: s === r.status }))}
            />
            <TextArea ctx={ctx} name="statusNote" label={t('queue.case.statusNote')} hint={t('queue.case.replyHint')} value={v.statusNote} error={errors.statusNote} maxLength={4000} rows={3} />
            <Button variant="secondary">{t('queue.case.changeStatus')}</Button>
          </PostForm>
          <h2>{t('queue.case.assignTitle')}</h2>
          <PostForm ctx={ctx} action={action('assign')}>
            <Select
              ctx={ctx}
              name="assignee"
              label={t('queue.case.assignee')}
              value={v.assignee ?? r.assigneeId ?? ''}
              error={errors.assignee}
              options={[{ value: '', label: t('queue.unassigned') }, ...sc.assignable.map((s) => ({ value: s.id, label: s.id === ctx.staff?.id ? t('queue.case.meNamed', { name: s.name }) : s.name }))]}
            />
            <Button variant="secondary">{t('queue.case.assign')}</Button>
          </PostForm>
          <h2>{t('queue.case.typeTitle')}</h2>
          <PostForm ctx={ctx} action={action('type')}>
            <Select ctx={ctx} name="type" label={t('queue.case.type')} value={v.type ?? r.type.code} error={errors.type} options={sc.types.filter((x) => x.active).map((x) => ({ value: x.code, label: x.name[locale] }))} />
            <Button variant="secondary">{t('queue.case.changeType')}</Button>
          </PostForm>
          <h2>{t('queue.case.departmentTitle')}</h2>
          <PostForm ctx={ctx} action={action('department')}>
            <Select
              ctx={ctx}
              name="department"
              label={t('queue.case.department')}
              value={v.department ?? r.departmentId ?? ''}
              error={errors.department}
              options={[{ value: '', label: t('queue.filters.noDepartment') }, ...sc.departments.filter((d) => d.active).map((d) => ({ value: d.id, label: d.name[locale] }))]}
            />
            <Button variant="secondary">{t('queue.case.changeDepartment')}</Button>
          </PostForm>
          <h2>{t('queue.case.mergeTitle')}</h2>
          <p>{t('queue.case.mergeIntro')}</p>
          <PostForm ctx={ctx} action={action('merge')}>
            <TextField ctx={ctx} name="keep" label={t('queue.case.keep')} hint={t('queue.case.keepHint')} value={v.keep} error={errors.keep} maxLength={20} required />
            <TextArea ctx={ctx} name="mergeNote" label={t('queue.case.mergeNote')} hint={t('queue.case.mergeNoteHint')} value={v.mergeNote} error={errors.mergeNote} maxLength={4000} rows={3} />
            <Button variant="warning">{t('queue.case.merge')}</Button>
          </PostForm>
          <h2>{t('queue.case.closeTitle')}</h2>
          <PostForm ctx={ctx} action={multipartAction(action('close'), ctx.csrfToken)} enctype="multipart/form-data">
            <input type="hidden" name="_idem" value={props.idem} />
            <TextArea ctx={ctx} name="closeNote" label={t('queue.case.closeNote')} hint={t('queue.case.closeNoteHint')} value={v.closeNote} error={errors.closeNote} maxLength={4000} required />
            <div class={`field${errors.closePhoto ? ' field--error' : ''}`}>
              <label class="field__label" for="closePhoto">
                {t('queue.case.closePhoto')} <span class="field__optional">{t('common.optional')}</span>
              </label>
              {errors.closePhoto ? (
                <p class="field__error" id="closePhoto-error">
                  {errors.closePhoto}
                </p>
              ) : null}
              <input class="field__input" type="file" id="closePhoto" name="closePhoto" accept="image/jpeg,image/png,image/webp" aria-describedby={errors.closePhoto ? 'closePhoto-error' : undefined} />
            </div>
            <Button>{t('queue.case.close')}</Button>
          </PostForm>
        </>
      ) : null}
    </Layout>
  );
}
