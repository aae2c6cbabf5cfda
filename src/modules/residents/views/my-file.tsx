/** "My file": the first page after sign-in. Everything the resident has with the town, newest first. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Banner, Table, Tag } from '../../../web/components/display.tsx';
import { Button, PostForm } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { formatDateTime } from '../../../platform/i18n.ts';
import type { FileEntry } from '../my-file.ts';

export function MyFilePage(props: { ctx: PageContext; name: string | null; items: FileEntry[]; partial: boolean; isNew: boolean }) {
  const { ctx, items } = props;
  const { t, locale, tenant } = ctx;
  return (
    <Layout ctx={ctx} title={t('residents.myFile.title')}>
      {props.isNew || !props.name ? (
        <Banner ctx={ctx} kind="important" title={props.isNew ? t('residents.myFile.welcomeNew') : undefined}>
          <p>{t('residents.myFile.completeProfile')}</p>
          <p>
            <a href={href(ctx, '/account/profile')}>{t('residents.myFile.completeProfileLink')}</a>
          </p>
        </Banner>
      ) : null}
      <h1>{t('residents.myFile.title')}</h1>
      {props.name ? <p class="lead">{t('residents.myFile.welcome', { name: props.name })}</p> : null}
      <p>{t('residents.myFile.intro')}</p>
      {props.partial ? (
        <p>
          <strong>{t('residents.myFile.partial')}</strong>
        </p>
      ) : null}
      <Table
        caption={t('residents.myFile.caption')}
        rows={items}
        rowKey={(item) => `${item.source}:${item.id}`}
        empty={t('residents.myFile.empty')}
        columns={[
          { header: t('residents.myFile.date'), cell: (item) => formatDateTime(locale, tenant.timeZone, item.date) },
          {
            header: t('residents.myFile.what'),
            cell: (item) => {
              const text = item.title ? `${item.kind} – ${item.title}` : item.kind;
              return item.href ? <a href={href(ctx, item.href)}>{text}</a> : text;
            },
          },
          { header: t('residents.myFile.reference'), cell: (item) => item.reference ?? '' },
          { header: t('residents.myFile.status'), cell: (item) => <Tag tone={item.status.tone}>{item.status.label}</Tag> },
        ]}
      />
      <h2>{t('residents.myFile.accountHeading')}</h2>
      <ul class="card-list">
        {(
          [
            ['/account/profile', 'residents.myFile.profileLink', 'residents.myFile.profileBody'],
            ['/account/household', 'residents.myFile.householdLink', 'residents.myFile.householdBody'],
            ['/account/sessions', 'residents.myFile.sessionsLink', 'residents.myFile.sessionsBody'],
          ] as const
        ).map(([path, title, body]) => (
          <li class="card" key={path}>
            <h3 class="card__title">
              <a href={href(ctx, path)}>{t(title)}</a>
            </h3>
            <p>{t(body)}</p>
          </li>
        ))}
      </ul>
      <PostForm ctx={ctx} action={href(ctx, '/account/sign-out')}>
        <Button variant="secondary">{t('residents.myFile.signOut')}</Button>
      </PostForm>
    </Layout>
  );
}
