/** The frame of every administration page: the page layout, a way back, and the section menu. */
import type { ComponentChildren } from 'preact';
import { Layout } from '../../../web/components/Layout.tsx';
import { Banner } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';

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
] as const;
export type DoneCode = (typeof DONE_CODES)[number];

export function doneCode(value: unknown): DoneCode | undefined {
  return (DONE_CODES as readonly unknown[]).includes(value) ? (value as DoneCode) : undefined;
}

export function AdminLayout(props: {
  ctx: PageContext;
  title: string;
  section: AdminSection;
  hasErrors?: boolean;
  done?: DoneCode | undefined;
  children: ComponentChildren;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={props.title} hasErrors={props.hasErrors ?? false}>
      <p>
        <a href={href(ctx, '/staff')}>{t('admin.backToStaffArea')}</a>
      </p>
      <nav aria-label={t('admin.nav.label')}>
        <p class="actions">
          {SECTIONS.map((s) =>
            props.section === s.section ? (
              <a href={href(ctx, s.path)} aria-current="page">
                <strong>{t(`admin.nav.${s.section}`)}</strong>
              </a>
            ) : (
              <a href={href(ctx, s.path)}>{t(`admin.nav.${s.section}`)}</a>
            ),
          )}
        </p>
      </nav>
      {props.done ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`admin.done.${props.done}`)}</p>
        </Banner>
      ) : null}
      {props.children}
    </Layout>
  );
}
