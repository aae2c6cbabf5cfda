/** What the builder's pages share: the frame, the bilingual field pair, the one-line button form. */
import type { ComponentChildren } from 'preact';
import { Layout } from '../../../../web/components/Layout.tsx';
import { Banner } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextArea, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';

export const BUILDER_DONE = ['created', 'saved', 'published', 'added', 'moved', 'removed'] as const;
export type BuilderDone = (typeof BUILDER_DONE)[number];
export const builderDone = (v: unknown): BuilderDone | undefined => (BUILDER_DONE as readonly unknown[]).includes(v) ? (v as BuilderDone) : undefined;

export function BuilderLayout(props: { ctx: PageContext; title: string; errors?: FieldErrors; done?: BuilderDone | undefined; back?: { href: string; label: string }; children: ComponentChildren }) {
  const { ctx } = props;
  const errors = props.errors ?? {};
  return (
    <Layout ctx={ctx} title={props.title} hasErrors={Object.keys(errors).length > 0}>
      <p>
        {props.back ? <a href={props.back.href}>{props.back.label}</a> : <a href={href(ctx, '/staff')}>{ctx.t('applications.builder.backToStaff')}</a>}
      </p>
      {props.done ? (
        <Banner ctx={ctx} kind="success">
          <p>{ctx.t(`applications.builder.done.${props.done}`)}</p>
        </Banner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      {props.children}
    </Layout>
  );
}

/** A French and an English field side by side: `<name>_fr`, `<name>_en`. */
export function BilingualFields(props: {
  ctx: PageContext;
  name: string;
  label: string;
  values: Record<string, string>;
  errors: FieldErrors;
  multiline?: boolean;
  required?: boolean;
  maxLength: number;
}) {
  const { ctx, name } = props;
  return (
    <>
      {(['fr', 'en'] as const).map((l) => {
        const field = `${name}_${l}`;
        const language = ctx.t(`applications.builder.lang.${l}`);
        const label = `${props.label} (${language})`;
        return props.multiline ? (
          <TextArea key={l} ctx={ctx} name={field} label={label} value={props.values[field]} error={props.errors[field]} required={props.required ?? true} rows={3} maxLength={props.maxLength} />
        ) : (
          <TextField key={l} ctx={ctx} name={field} label={label} value={props.values[field]} error={props.errors[field]} required={props.required ?? true} maxLength={props.maxLength} />
        );
      })}
    </>
  );
}

/** A form that is one button (move, remove, publish); `hidden` fields go with it. */
export function ButtonForm(props: { ctx: PageContext; action: string; label: string; hiddenLabel?: string; variant?: 'primary' | 'secondary' | 'warning'; hidden?: Record<string, string> }) {
  return (
    <PostForm ctx={props.ctx} action={props.action}>
      {Object.entries(props.hidden ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <Button variant={props.variant ?? 'secondary'}>
        {props.label}
        {props.hiddenLabel ? <span class="visually-hidden"> {props.hiddenLabel}</span> : null}
      </Button>
    </PostForm>
  );
}

/** A checkbox posting "yes" when ticked. */
export function YesBox(props: { name: string; label: string; checked: boolean }) {
  return (
    <div class="field">
      <div class="choice">
        <input class="choice__input" type="checkbox" id={props.name} name={props.name} value="yes" checked={props.checked} />
        <label class="choice__label" for={props.name}>
          {props.label}
        </label>
      </div>
    </div>
  );
}
