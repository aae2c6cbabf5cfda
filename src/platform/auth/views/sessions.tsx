/** "Your sessions", for staff (/staff/sessions) and residents (/account/sessions). */
import { Layout } from '../../../web/components/Layout.tsx';
import { Banner, Tag } from '../../../web/components/display.tsx';
import { Button, PostForm } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { formatDateTime } from '../../i18n.ts';
import type { SessionInfo } from '../sessions.ts';

export interface SessionsPageProps {
  ctx: PageContext;
  sessions: SessionInfo[];
  /** "/staff" or "/account": where the page lives and where "back" goes. */
  area: '/staff' | '/account';
  notice?: 'ended' | 'endedOthers' | 'notFound' | undefined;
}

export function deviceLabel(ctx: PageContext, s: Pick<SessionInfo, 'browser' | 'system'>): string {
  const { t } = ctx;
  if (s.browser && s.system) return t('account.sessions.device', { browser: s.browser, system: s.system });
  return s.browser ?? s.system ?? t('account.sessions.unknownDevice');
}

export function SessionsPage({ ctx, sessions, area, notice }: SessionsPageProps) {
  const { t, locale, tenant } = ctx;
  const when = (d: Date) => formatDateTime(locale, tenant.timeZone, d);
  const others = sessions.filter((s) => !s.current);
  return (
    <Layout ctx={ctx} title={t('account.sessions.title')}>
      {notice === 'ended' || notice === 'endedOthers' ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`account.sessions.${notice}`)}</p>
        </Banner>
      ) : null}
      {notice === 'notFound' ? (
        <Banner ctx={ctx} kind="important">
          <p>{t('account.sessions.notFound')}</p>
        </Banner>
      ) : null}
      <h1>{t('account.sessions.title')}</h1>
      <p class="lead">{t('account.sessions.intro')}</p>
      <ul class="session-list">
        {sessions.map((s) => {
          const label = deviceLabel(ctx, s);
          return (
            <li class="card" key={s.id}>
              <h2 class="card__title">
                {label} {s.current ? <Tag tone="success">{t('account.sessions.current')}</Tag> : null}
              </h2>
              <dl class="summary">
                <dt>{t('account.sessions.createdAt')}</dt>
                <dd>{when(s.createdAt)}</dd>
                <dt>{t('account.sessions.lastSeenAt')}</dt>
                <dd>{when(s.lastSeenAt)}</dd>
              </dl>
              {s.current ? (
                <PostForm ctx={ctx} action={href(ctx, area === '/staff' ? '/staff/sign-out' : '/account/sign-out')}>
                  <Button variant="secondary">{t('account.sessions.signOutHere')}</Button>
                </PostForm>
              ) : (
                <PostForm ctx={ctx} action={href(ctx, `${area}/sessions/${s.id}/end`)}>
                  <Button variant="secondary">
                    {t('account.sessions.end')}
                    <span class="visually-hidden"> {t('account.sessions.endWhich', { device: label, date: when(s.lastSeenAt) })}</span>
                  </Button>
                </PostForm>
              )}
            </li>
          );
        })}
      </ul>
      {others.length > 0 ? (
        <>
          <h2>{t('account.sessions.othersHeading')}</h2>
          <p>{t('account.sessions.othersBody')}</p>
          <PostForm ctx={ctx} action={href(ctx, `${area}/sessions/end-others`)}>
            <Button variant="warning">{t('account.sessions.endOthers')}</Button>
          </PostForm>
        </>
      ) : (
        <p>{t('account.sessions.noOthers')}</p>
      )}
      <p>
        <a href={href(ctx, area)}>{t(area === '/staff' ? 'account.sessions.backStaff' : 'account.sessions.backAccount')}</a>
      </p>
    </Layout>
  );
}
