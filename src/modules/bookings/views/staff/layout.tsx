/** The frame of the staff booking pages: the way back, the section menu, the message after an action. */
import type { ComponentChildren } from 'preact';
import { Layout } from '../../../../web/components/Layout.tsx';
import { Banner } from '../../../../web/components/display.tsx';
import { href, type PageContext } from '../../../../web/context.ts';

export type StaffSection = 'activities' | 'residency';

/** Messages shown once after an action (the redirect carries ?done=<code>). */
export const DONE_CODES = [
  'created',
  'saved',
  'sessionAdded',
  'seriesAdded',
  'capacity',
  'sessionCancelled',
  'drawn',
  'moved',
  'cancelled',
  'paid',
  'refunded',
  'approved',
  'refused',
] as const;
export type DoneCode = (typeof DONE_CODES)[number];

export function doneCode(value: unknown): DoneCode | undefined {
  return (DONE_CODES as readonly unknown[]).includes(value) ? (value as DoneCode) : undefined;
}

export const doneQuery = {
  type: 'object',
  properties: { done: { type: 'string', maxLength: 20 } },
  additionalProperties: false,
} as const;

const SECTIONS: Array<{ section: StaffSection; path: string }> = [
  { section: 'activities', path: '/staff/bookings' },
  { section: 'residency', path: '/staff/bookings/residency' },
];

export function StaffBookingsLayout(props: {
  ctx: PageContext;
  title: string;
  section: StaffSection;
  hasErrors?: boolean;
  done?: DoneCode | undefined;
  children: ComponentChildren;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={props.title} hasErrors={props.hasErrors ?? false}>
      <p class="no-print">
        <a href={href(ctx, '/staff')}>{t('staffBookings.backToStaffArea')}</a>
      </p>
      <nav aria-label={t('staffBookings.nav.label')} class="no-print">
        <p class="actions">
          {SECTIONS.map((s) =>
            props.section === s.section ? (
              <a href={href(ctx, s.path)} aria-current="page">
                <strong>{t(`staffBookings.nav.${s.section}`)}</strong>
              </a>
            ) : (
              <a href={href(ctx, s.path)}>{t(`staffBookings.nav.${s.section}`)}</a>
            ),
          )}
        </p>
      </nav>
      {props.done ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`staffBookings.done.${props.done}`)}</p>
        </Banner>
      ) : null}
      {props.children}
    </Layout>
  );
}
