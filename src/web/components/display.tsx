/** Display parts: status tags, notification banners, tables, pagination. */
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../context.ts';

export type TagTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export function Tag({ tone, children }: { tone: TagTone; children: ComponentChildren }) {
  return <strong class={`tag tag--${tone}`}>{children}</strong>;
}

/** A banner: "success" is announced politely to screen readers, "important" is a plain region. */
export function Banner(props: { ctx: PageContext; kind: 'success' | 'important'; title?: string; children: ComponentChildren }) {
  const heading = props.title ?? props.ctx.t(props.kind === 'success' ? 'common.bannerSuccess' : 'common.bannerImportant');
  return (
    <div
      class={`banner banner--${props.kind}`}
      role={props.kind === 'success' ? 'status' : 'region'}
      aria-labelledby="banner-title"
    >
      <h2 class="banner__title" id="banner-title">
        {heading}
      </h2>
      <div class="banner__body">{props.children}</div>
    </div>
  );
}

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
  numeric?: boolean;
}

export function Table<Row>(props: { caption: string; columns: Column<Row>[]; rows: Row[]; rowKey: (row: Row) => string; empty: string }) {
  if (props.rows.length === 0) return <p class="table-empty">{props.empty}</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={props.caption}>
      <table class="table">
        <caption class="table__caption">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" class={c.numeric ? 'numeric' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td class={c.numeric ? 'numeric' : undefined}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Previous / page x of y / next, as plain links that keep the rest of the query string. */
export function Pagination(props: { ctx: PageContext; page: number; pages: number; url: (page: number) => string }) {
  const { t } = props.ctx;
  if (props.pages <= 1) return null;
  return (
    <nav class="pagination" aria-label={t('common.pagination')}>
      <ul>
        {props.page > 1 ? (
          <li>
            <a href={props.url(props.page - 1)} rel="prev">
              {t('common.previousPage')}
            </a>
          </li>
        ) : null}
        <li aria-current="page">{t('common.pageOf', { page: props.page, pages: props.pages })}</li>
        {props.page < props.pages ? (
          <li>
            <a href={props.url(props.page + 1)} rel="next">
              {t('common.nextPage')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
