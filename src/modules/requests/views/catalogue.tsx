/** The catalogue: every type of request the town takes, grouped, with a search that ignores accents. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Button } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { RequestType } from '../types.ts';

export function CataloguePage({ ctx, types, query }: { ctx: PageContext; types: RequestType[]; query: string }) {
  const { t, locale } = ctx;
  const groups = new Map<string, RequestType[]>();
  for (const type of types) {
    const g = type.group[locale] || t('requests.catalogue.otherGroup');
    groups.set(g, [...(groups.get(g) ?? []), type]);
  }
  return (
    <Layout ctx={ctx} title={t('requests.catalogue.title')}>
      <h1>{t('requests.catalogue.title')}</h1>
      <p class="lead">{t('requests.catalogue.intro')}</p>
      <form method="get" action={href(ctx, '/requests')} role="search" class="search-form">
        <div class="field">
          <label class="field__label" for="q">
            {t('requests.catalogue.search')}
          </label>
          <p class="field__hint" id="q-hint">
            {t('requests.catalogue.searchHint')}
          </p>
          <input class="field__input" type="search" id="q" name="q" value={query} maxLength={200} aria-describedby="q-hint" />
        </div>
        <Button variant="secondary">{t('requests.catalogue.searchButton')}</Button>
      </form>
      {query ? <p role="status">{t('requests.catalogue.results', { count: types.length, query })}</p> : null}
      {types.length === 0 ? (
        <p>{t('requests.catalogue.none')}</p>
      ) : (
        [...groups].map(([group, list]) => (
          <section key={group}>
            <h2>{group}</h2>
            <ul class="card-list">
              {list.map((type) => (
                <li class="card" key={type.code}>
                  <h3 class="card__title">
                    <a href={href(ctx, `/requests/new/${type.code}`)}>{type.name[locale]}</a>
                  </h3>
                  {type.description[locale] ? <p>{type.description[locale]}</p> : null}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      {ctx.resident ? (
        <p>
          <a href={href(ctx, '/requests/mine')}>{t('requests.mine.link')}</a>
        </p>
      ) : null}
    </Layout>
  );
}
