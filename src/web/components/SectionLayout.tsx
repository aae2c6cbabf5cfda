/**
 * The frame of a section of the staff area (administration, bookings): the page layout, the way
 * back to the staff area, the section menu with the current page marked, and the message after an
 * action. The way back and the menu are left out of printouts (rosters).
 */
import type { ComponentChildren } from 'preact';
import { href, type PageContext } from '../context.ts';
import { Layout } from './Layout.tsx';
import { Banner } from './display.tsx';

export interface SectionLink {
  path: string;
  label: string;
  current: boolean;
}

export function SectionLayout(props: {
  ctx: PageContext;
  title: string;
  hasErrors?: boolean;
  backLabel: string;
  navLabel: string;
  links: SectionLink[];
  /** The message after an action, already translated. */
  done?: string | undefined;
  children: ComponentChildren;
}) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={props.title} hasErrors={props.hasErrors ?? false}>
      <p class="no-print">
        <a href={href(ctx, '/staff')}>{props.backLabel}</a>
      </p>
      <nav aria-label={props.navLabel} class="no-print">
        <p class="actions">
          {props.links.map((link) =>
            link.current ? (
              <a href={href(ctx, link.path)} aria-current="page">
                <strong>{link.label}</strong>
              </a>
            ) : (
              <a href={href(ctx, link.path)}>{link.label}</a>
            ),
          )}
        </p>
      </nav>
      {props.done ? (
        <Banner ctx={ctx} kind="success">
          <p>{props.done}</p>
        </Banner>
      ) : null}
      {props.children}
    </Layout>
  );
}

/** The code a redirect's ?done= carries, if it is one of `codes`. */
export function doneCodeIn<T extends string>(codes: readonly T[], value: unknown): T | undefined {
  return (codes as readonly unknown[]).includes(value) ? (value as T) : undefined;
}
