/** The services residents may apply for, and one service's page: what it is, what to have ready, the fee, start. */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Tag } from '../../../../web/components/display.tsx';
import { Button, PostForm } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { Application } from '../../domain.ts';
import { formatMoney, type FeeRule, type FormDefinition } from '../../engine/index.ts';
import type { OpenService } from '../../service.ts';
import { MyApplicationsTable } from './parts.tsx';

export function feeText(ctx: PageContext, def: FormDefinition, fee: FeeRule = def.fee): string {
  const { t, locale } = ctx;
  switch (fee.kind) {
    case 'none':
      return t('applications.fee.none');
    case 'fixed':
      return t('applications.fee.fixed', { amount: formatMoney(fee.cents, locale) });
    case 'perUnit': {
      const q = def.pages.flatMap((p) => p.questions).find((x) => x.code === fee.question);
      const unit = q?.kind === 'number' && q.unit ? q.unit[locale] : t('applications.fee.unit');
      const base = t('applications.fee.perUnit', { amount: formatMoney(fee.centsPerUnit, locale), unit, base: formatMoney(fee.baseCents, locale) });
      const limits = [
        fee.minCents !== null ? t('applications.fee.min', { amount: formatMoney(fee.minCents, locale) }) : '',
        fee.maxCents !== null ? t('applications.fee.max', { amount: formatMoney(fee.maxCents, locale) }) : '',
      ].filter(Boolean);
      return [base, ...limits].join(' ');
    }
  }
}

export function ServicesPage(props: { ctx: PageContext; services: OpenService[]; mine: Application[] | null; prechecks: Array<{ slug: string; title: string }> }) {
  const { ctx } = props;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.list.title')}>
      <h1>{t('applications.list.title')}</h1>
      <p class="lead">{t('applications.list.lead')}</p>
      {props.prechecks.length > 0 ? (
        <ul>
          {props.prechecks.map((p) => (
            <li key={p.slug}>
              <a href={href(ctx, `/applications/check/${p.slug}`)}>{p.title}</a>
            </li>
          ))}
        </ul>
      ) : null}
      {props.services.length === 0 ? (
        <p>{t('applications.list.empty')}</p>
      ) : (
        <ul class="card-list">
          {props.services.map(({ service }) => (
            <li class="card" key={service.id}>
              <h2 class="card__title">
                <a href={href(ctx, `/applications/services/${service.slug}`)}>{service.name[locale]}</a>
              </h2>
              <p>
                <Tag tone="info">{t(`applications.kind.${service.kind}`)}</Tag> {service.summary[locale]}
              </p>
            </li>
          ))}
        </ul>
      )}
      {props.mine && props.mine.length > 0 ? (
        <>
          <h2>{t('applications.mine.title')}</h2>
          <MyApplicationsTable ctx={ctx} applications={props.mine} />
        </>
      ) : null}
    </Layout>
  );
}

export function ServicePage(props: { ctx: PageContext; open: OpenService; signedIn: boolean; idempotencyKey: string }) {
  const { ctx, open } = props;
  const { t, locale } = ctx;
  const def = open.form.definition;
  const name = open.service.name[locale];
  return (
    <Layout ctx={ctx} title={name}>
      <p>
        <a href={href(ctx, '/applications')}>{t('applications.list.back')}</a>
      </p>
      <h1>{name}</h1>
      <p class="lead">{open.service.summary[locale]}</p>
      <dl class="summary">
        <dt>{t('applications.service.fee')}</dt>
        <dd>{feeText(ctx, def)}</dd>
        <dt>{t('applications.service.target')}</dt>
        <dd>{t('applications.service.targetDays', { days: def.targetDays })}</dd>
      </dl>
      {def.documents.length > 0 ? (
        <>
          <h2>{t('applications.service.documents')}</h2>
          <ul>
            {def.documents.map((d, i) => (
              <li key={i}>{d.label[locale]}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p>{t('applications.service.draftNote')}</p>
      {props.signedIn ? (
        <PostForm ctx={ctx} action={href(ctx, `/applications/services/${open.service.slug}/start`)}>
          <input type="hidden" name="_idem" value={props.idempotencyKey} />
          <Button>{t('applications.service.start')}</Button>
        </PostForm>
      ) : (
        <p>
          <a class="button button--primary" href={href(ctx, `/account/sign-in?next=${encodeURIComponent(href(ctx, `/applications/services/${open.service.slug}`))}`)}>
            {t('applications.service.signInToStart')}
          </a>
        </p>
      )}
    </Layout>
  );
}
