/** The frame of the staff booking pages: the way back, the section menu, the message after an action. */
import type { ComponentChildren } from 'preact';
import { doneCodeIn, SectionLayout } from '../../../../web/components/SectionLayout.tsx';
import type { PageContext } from '../../../../web/context.ts';

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

export const doneCode = (value: unknown): DoneCode | undefined => doneCodeIn(DONE_CODES, value);

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
  const { t } = props.ctx;
  return (
    <SectionLayout
      ctx={props.ctx}
      title={props.title}
      hasErrors={props.hasErrors ?? false}
      backLabel={t('staffBookings.backToStaffArea')}
      navLabel={t('staffBookings.nav.label')}
      links={SECTIONS.map((s) => ({ path: s.path, label: t(`staffBookings.nav.${s.section}`), current: props.section === s.section }))}
      done={props.done && t(`staffBookings.done.${props.done}`)}
    >
      {props.children}
    </SectionLayout>
  );
}
