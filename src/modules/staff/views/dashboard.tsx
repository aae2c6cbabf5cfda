import { Layout } from '../../../web/components/Layout.tsx';
import { PostForm, Button } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';

/** The sign-out button every staff page can show. */
export function SignOutForm({ ctx }: { ctx: PageContext }) {
  return (
    <PostForm ctx={ctx} action={href(ctx, '/staff/sign-out')}>
      <Button variant="secondary">{ctx.t('staff.signOut')}</Button>
    </PostForm>
  );
}

export function DashboardPage({ ctx, name, role }: { ctx: PageContext; name: string; role: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.dashboard.title')}>
      <h1>{t('staff.dashboard.title')}</h1>
      <p class="lead">{t('staff.dashboard.welcome', { name, role: t(`staff.roles.${role}`) })}</p>
      <h2>{t('staff.dashboard.tasksHeading')}</h2>
      <ul class="card-list">
        <li class="card">
          <h3 class="card__title">
            <a href={href(ctx, '/staff/requests')}>{t('queue.dashboard.title')}</a>
          </h3>
          <p>{t('queue.dashboard.body')}</p>
        </li>
        {role !== 'agent' ? (
          <li class="card">
            <h3 class="card__title">
              <a href={href(ctx, '/staff/messages')}>{t('contact.staff.title')}</a>
            </h3>
            <p>{t('contact.staff.dashboard')}</p>
          </li>
        ) : null}
        <li class="card">
          <h3 class="card__title">
            <a href={href(ctx, '/staff/mail')}>{t('staff.dashboard.mailTitle')}</a>
          </h3>
          <p>{t('staff.dashboard.mailBody')}</p>
        </li>
        <li class="card">
          <h3 class="card__title">
            <a href={href(ctx, '/staff/mfa')}>{t('staff.dashboard.mfaTitle')}</a>
          </h3>
          <p>{t('staff.dashboard.mfaBody')}</p>
        </li>
        <li class="card">
          <h3 class="card__title">
            <a href={href(ctx, '/staff/sessions')}>{t('staff.dashboard.sessionsTitle')}</a>
          </h3>
          <p>{t('staff.dashboard.sessionsBody')}</p>
        </li>
        <li class="card">
          <h3 class="card__title">
            <a href={href(ctx, '/staff/bookings')}>{t('staffBookings.dashboard.title')}</a>
          </h3>
          <p>{t('staffBookings.dashboard.body')}</p>
        </li>
        <li class="card">
          <h3 class="card__title">
            <a href={href(ctx, '/staff/scanner')}>{t('passes.dashboard.title')}</a>
          </h3>
          <p>{t('passes.dashboard.body')}</p>
        </li>
        <li class="card">
          <h3 class="card__title">
            <a href={href(ctx, '/staff/applications')}>{t('review.dashboard.title')}</a>
          </h3>
          <p>{t('review.dashboard.body')}</p>
        </li>
        {role === 'admin' ? (
          <li class="card">
            <h3 class="card__title">
              <a href={href(ctx, '/staff/admin')}>{t('staff.dashboard.adminTitle')}</a>
            </h3>
            <p>{t('staff.dashboard.adminBody')}</p>
          </li>
        ) : null}
        {role === 'admin' ? (
          <li class="card">
            <h3 class="card__title">
              <a href={href(ctx, '/staff/services')}>{t('applications.builder.dashboardTitle')}</a>
            </h3>
            <p>{t('applications.builder.dashboardBody')}</p>
          </li>
        ) : null}
      </ul>
      <p>{t('staff.dashboard.moreSoon')}</p>
      <SignOutForm ctx={ctx} />
    </Layout>
  );
}
