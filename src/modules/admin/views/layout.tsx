/** The frame of every administration page: the page layout, a way back, and the section menu. */
import type { ComponentChildren } from 'preact';
import { doneCodeIn, SectionLayout } from '../../../web/components/SectionLayout.tsx';
import type { PageContext } from '../../../web/context.ts';

export type AdminSection = 'home' | 'staff' | 'departments' | 'audit' | 'apiKeys';

const SECTIONS: Array<{ section: Exclude<AdminSection, 'home'>; path: string }> = [
  { section: 'staff', path: '/staff/admin/staff' },
  { section: 'departments', path: '/staff/admin/departments' },
  { section: 'audit', path: '/staff/admin/audit' },
  { section: 'apiKeys', path: '/staff/admin/api-keys' },
];

/** Messages shown once after an action (the redirect carries ?done=<code>). */
export const DONE_CODES = [
  'invited',
  'access',
  'unchanged',
  'disabled',
  'enabled',
  'resent',
  'created',
  'renamed',
  'deactivated',
  'activated',
  'mfaReset',
] as const;
export type DoneCode = (typeof DONE_CODES)[number];

export const doneCode = (value: unknown): DoneCode | undefined => doneCodeIn(DONE_CODES, value);

export function AdminLayout(props: {
  ctx: PageContext;
  title: string;
  section: AdminSection;
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
      backLabel={t('admin.backToStaffArea')}
      navLabel={t('admin.nav.label')}
      links={SECTIONS.map((s) => ({ path: s.path, label: t(`admin.nav.${s.section}`), current: props.section === s.section }))}
      done={props.done && t(`admin.done.${props.done}`)}
    >
      {props.children}
    </SectionLayout>
  );
}
