/**
 * One page of an application's form. Every button saves the page as a draft: "Save and continue"
 * checks it and goes on, "Save and come back later" keeps it as is, "Upload" attaches the chosen
 * files and stays; files ticked "remove" are taken off by any of them. The builder's preview shows the same page, inert.
 */
import type { ComponentChildren } from 'preact';
import { Layout } from '../../../../web/components/Layout.tsx';
import { Banner } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, type FieldErrors } from '../../../../web/components/forms.tsx';
import type { PageContext } from '../../../../web/context.ts';
import { multipartAction } from '../../../../platform/uploads.ts';
import type { ApplicationFile } from '../../domain.ts';
import type { FormDefinition, Page, RawAnswers } from '../../engine/index.ts';
import { QuestionField } from './fields.tsx';

export interface FormPageProps {
  ctx: PageContext;
  serviceName: string;
  def: FormDefinition;
  page: Page;
  /** 1-based position among the pages shown, and how many are shown. */
  position: number;
  count: number;
  values: RawAnswers;
  errors: FieldErrors;
  files: ApplicationFile[];
  backHref: string | null;
  /** The page's POST address; null in the builder's preview. */
  action: string | null;
  fileHref?: (f: ApplicationFile) => string;
  notice?: 'saved' | 'uploaded' | 'removed' | undefined;
  /** Shown above the title (the preview's banner). */
  banner?: ComponentChildren;
  /** The preview's links to the next page. */
  footer?: ComponentChildren;
}

export function FormPage(props: FormPageProps) {
  const { ctx, page, def } = props;
  const { t, locale } = ctx;
  const title = page.title[locale];
  const hasFile = page.questions.some((q) => q.kind === 'file');
  const seen = new Set<string>();
  const fields = page.questions.map((q) => {
    // The preview has no answers: every condition is said in words there.
    const samePage = props.action === null ? new Set(def.pages.flatMap((p) => p.questions.map((x) => x.code))) : new Set(seen);
    seen.add(q.code);
    return (
      <QuestionField
        key={q.code}
        ctx={ctx}
        def={def}
        q={q}
        value={props.values[q.code]}
        error={props.errors[q.code]}
        files={props.files}
        samePage={samePage}
        editable={props.action !== null}
        {...(props.fileHref ? { fileHref: props.fileHref } : {})}
      />
    );
  });
  const hasErrors = Object.keys(props.errors).length > 0;
  return (
    <Layout ctx={ctx} title={`${title} – ${props.serviceName}`} hasErrors={hasErrors}>
      {props.banner}
      {props.backHref ? (
        <p>
          <a href={props.backHref}>{t('applications.form.back')}</a>
        </p>
      ) : null}
      {props.notice ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`applications.form.notice.${props.notice}`)}</p>
        </Banner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <p class="caption">
        {props.serviceName} · {t('applications.form.pageOf', { page: props.position, pages: props.count })}
      </p>
      <h1>{title}</h1>
      {page.intro[locale] ? <p class="lead">{page.intro[locale]}</p> : null}
      {props.action === null ? (
        <div>
          {fields}
          {props.footer}
        </div>
      ) : (
        <PostForm ctx={ctx} {...(hasFile ? { action: multipartAction(props.action, ctx.csrfToken), enctype: 'multipart/form-data' } : { action: props.action })}>
          <div data-module={hasFile ? 'conditions' : 'conditions autosave'} data-saved={t('applications.form.autosaved')}>
            {fields}
            <p class="autosave-status" role="status" aria-live="polite"></p>
          </div>
          <div class="actions">
            <Button name="action" value="next">
              {t('applications.form.next')}
            </Button>
            {hasFile ? (
              <Button variant="secondary" name="action" value="upload">
                {t('applications.form.upload')}
              </Button>
            ) : null}
            <Button variant="secondary" name="action" value="save">
              {t('applications.form.saveDraft')}
            </Button>
          </div>
        </PostForm>
      )}
    </Layout>
  );
}
