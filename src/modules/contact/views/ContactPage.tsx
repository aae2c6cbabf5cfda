import { Layout } from '../../../web/components/Layout.tsx';
import { Button, ErrorSummary, PostForm, TextArea, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { MESSAGE_MAX } from '../schemas.ts';

export interface ContactFormValues {
  name: string;
  email: string;
  message: string;
}

export function ContactPage(props: { ctx: PageContext; values: ContactFormValues; errors: FieldErrors; idempotencyKey: string }) {
  const { ctx, values, errors } = props;
  const { t, tenant, locale } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('contact.form.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('contact.form.title')}</h1>
      <p class="lead">{t('contact.form.intro', { town: tenant.name[locale] })}</p>
      <PostForm ctx={ctx} action={href(ctx, '/contact')}>
        <input type="hidden" name="_idem" value={props.idempotencyKey} />
        <TextField ctx={ctx} name="name" label={t('contact.form.name')} value={values.name} error={errors.name} required autocomplete="name" />
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('contact.form.email')}
          hint={t('contact.form.emailHint')}
          value={values.email}
          error={errors.email}
          required
          autocomplete="email"
        />
        <TextArea
          ctx={ctx}
          name="message"
          label={t('contact.form.message')}
          hint={t('contact.form.messageHint', { max: MESSAGE_MAX })}
          value={values.message}
          error={errors.message}
          required
          rows={8}
        />
        <p>
          {t('contact.form.privacy')} <a href={href(ctx, '/privacy')}>{t('common.privacy')}</a>
        </p>
        <Button>{t('contact.form.submit')}</Button>
      </PostForm>
    </Layout>
  );
}
