/**
 * The staff queue page: filters (a GET form: department, type, status, area, age, assignee, overdue
 * only) with counts, the cases sorted by time left before their target, and one form to change
 * several at once (tick the cases, choose one action). Works without JavaScript.
 */
import { Select, type Option as SelectOption } from '../../../../web/components/choices.tsx';
import { Banner, Pagination } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, type FieldErrors } from '../../../../web/components/forms.tsx';
import { Layout } from '../../../../web/components/Layout.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { AGE_FILTERS, AREA_FILTERS, STATUS_FILTERS, type QueueFilters, type QueuePage } from '../queue.ts';
import { formatWhen, StatusTag, TimeLeft } from './parts.tsx';

export type QueueDone = 'bulk' | 'moved';

/** The filters as a query string (page left out unless given). */
export function queueQuery(f: QueueFilters, page?: number): string {
  const q = new URLSearchParams();
  if (f.status !== 'open') q.set('status', f.status);
  for (const k of ['department', 'type', 'assignee', 'age', 'area'] as const) if (f[k]) q.set(k, f[k]);
  if (f.overdue) q.set('overdue', '1');
  if (page && page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function QueuePageView(props: {
  ctx: PageContext;
  filters: QueueFilters;
  queue: QueuePage;
  done?: { code: QueueDone; n: number; failed: number } | undefined;
  errors?: FieldErrors;
}) {
  const { ctx, filters: f, queue: q } = props;
  const { t, locale } = ctx;
  const named = (v: string | { fr: string; en: string }) => (typeof v === 'string' ? v : v[locale]);
  const withCount = (label: string, n: number | undefined) => t('queue.filters.withCount', { label, n: n ?? 0 });
  const all = (label: string): SelectOption => ({ value: '', label });
  const statusOptions = STATUS_FILTERS.map((s) => ({ value: s, label: withCount(t(`queue.filters.statuses.${s}`), q.counts.status.get(s)) }));
  const departmentOptions = [all(t('queue.filters.allDepartments')), ...q.counts.department.map((d) => ({ value: d.value, label: withCount(d.value === 'none' ? t('queue.filters.noDepartment') : named(d.label), d.count) }))];
  const typeOptions = [all(t('queue.filters.allTypes')), ...q.counts.type.map((o) => ({ value: o.value, label: withCount(named(o.label), o.count) }))];
  const assigneeOptions = [
    all(t('queue.filters.anyone')),
    ...q.counts.assignee.map((o) => ({ value: o.value, label: withCount(o.value === 'me' ? t('queue.filters.me') : o.value === 'none' ? t('queue.filters.nobody') : named(o.label), o.count) })),
  ];
  const ageOptions = [all(t('queue.filters.anyAge')), ...AGE_FILTERS.map((a) => ({ value: a, label: withCount(t(`queue.filters.ages.${a}`), q.counts.age.get(a)) }))];
  const areaOptions = [all(t('queue.filters.wholeTown')), ...AREA_FILTERS.map((a) => ({ value: a, label: withCount(t(`queue.filters.areas.${a}`), q.counts.area.get(a)) }))];
  const back = queueQuery(f, q.page);
  return (
    <Layout ctx={ctx} title={t('queue.title')} hasErrors={Object.keys(props.errors ?? {}).length > 0}>
      <ErrorSummary ctx={ctx} errors={props.errors ?? {}} />
      <p>
        <a href={href(ctx, '/staff')}>{t('queue.backToStaff')}</a>
      </p>
      {props.done ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`queue.done.${props.done.code}`, { n: props.done.n })}</p>
          {props.done.failed > 0 ? <p>{t('queue.done.failed', { n: props.done.failed })}</p> : null}
        </Banner>
      ) : null}
      <h1>{t('queue.title')}</h1>
      <p class="actions">
        <a class="button button--secondary" href={href(ctx, '/staff/requests/new')}>
          {t('queue.enterNew')}
        </a>
      </p>
      <form method="get" action={href(ctx, '/staff/requests')} class="queue-filters">
        <h2>{t('queue.filters.title')}</h2>
        <Select ctx={ctx} name="status" label={t('queue.filters.status')} options={statusOptions} value={f.status} />
        <Select ctx={ctx} name="department" label={t('queue.filters.department')} options={departmentOptions} value={f.department} />
        <Select ctx={ctx} name="type" label={t('queue.filters.type')} options={typeOptions} value={f.type} />
        <Select ctx={ctx} name="assignee" label={t('queue.filters.assignee')} options={assigneeOptions} value={f.assignee} />
        <Select ctx={ctx} name="age" label={t('queue.filters.age')} options={ageOptions} value={f.age} />
        <Select ctx={ctx} name="area" label={t('queue.filters.area')} options={areaOptions} value={f.area} />
        <div class="field">
          <div class="choice">
            <input class="choice__input" type="checkbox" id="overdue" name="overdue" value="1" checked={f.overdue} />
            <label class="choice__label" for="overdue">
              {t('queue.filters.overdueOnly', { n: q.overdue })}
            </label>
          </div>
        </div>
        <Button variant="secondary">{t('queue.filters.apply')}</Button>{' '}
        <a href={href(ctx, '/staff/requests')}>{t('queue.filters.reset')}</a>
      </form>
      <h2 id="results">{t('queue.results', { n: q.total, overdue: q.overdue })}</h2>
      {q.items.length === 0 ? (
        <p>{t('queue.empty')}</p>
      ) : (
        <PostForm ctx={ctx} action={href(ctx, '/staff/requests/bulk')}>
          <input type="hidden" name="back" value={back} />
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="results">
            <table class="table queue">
              <caption class="table__caption">{t('queue.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('queue.columns.select')}</th>
                  <th scope="col">{t('queue.columns.reference')}</th>
                  <th scope="col">{t('queue.columns.type')}</th>
                  <th scope="col">{t('queue.columns.where')}</th>
                  <th scope="col">{t('queue.columns.status')}</th>
                  <th scope="col">{t('queue.columns.timeLeft')}</th>
                  <th scope="col">{t('queue.columns.assignee')}</th>
                  <th scope="col">{t('queue.columns.requested')}</th>
                </tr>
              </thead>
              <tbody>
                {q.items.map((r, i) => (
                  <tr key={r.id} class={r.overdue ? 'queue__row--overdue' : undefined}>
                    <td>
                      <input type="checkbox" class="queue__tick" id={i === 0 ? 'ids' : `pick-${r.id}`} name="ids" value={r.id} />
                      <label for={i === 0 ? 'ids' : `pick-${r.id}`} class="visually-hidden">
                        {t('queue.select', { reference: r.reference })}
                      </label>
                    </td>
                    <td>
                      <a href={href(ctx, `/staff/requests/${r.reference}`)}>{r.reference}</a>
                      {r.reopened ? <p>{t('queue.reopened')}</p> : null}
                    </td>
                    <td>{r.type.name[locale]}</td>
                    <td>{r.address ?? (r.located ? t('queue.mapPoint') : '')}</td>
                    <td>
                      <StatusTag ctx={ctx} status={r.status} />
                    </td>
                    <td>
                      <TimeLeft ctx={ctx} ms={r.timeLeft} />
                    </td>
                    <td>{r.assignee ? r.assignee.name : t('queue.unassigned')}</td>
                    <td>{formatWhen(ctx, r.requestedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <fieldset class="bulk">
            <legend>{t('queue.bulk.legend')}</legend>
            <Select
              ctx={ctx}
              name="action"
              label={t('queue.bulk.action')}
              value=""
              error={props.errors?.action}
              options={[
                { value: '', label: t('queue.bulk.choose') },
                { value: 'assign:me', label: t('queue.bulk.assignMe') },
                { value: 'assign:none', label: t('queue.bulk.unassign') },
                ...q.staff.filter((s) => s.id !== ctx.staff?.id).map((s) => ({ value: `assign:${s.id}`, label: t('queue.bulk.assignTo', { name: s.name }) })),
                { value: 'status:acknowledged', label: t('queue.bulk.status', { status: t('queue.status.acknowledged') }) },
                { value: 'status:in_progress', label: t('queue.bulk.status', { status: t('queue.status.in_progress') }) },
              ]}
            />
            <Button>{t('queue.bulk.apply')}</Button>
          </fieldset>
        </PostForm>
      )}
      <Pagination ctx={ctx} page={q.page} pages={q.pages} url={(p) => href(ctx, `/staff/requests${queueQuery(f, p)}`)} />
    </Layout>
  );
}
