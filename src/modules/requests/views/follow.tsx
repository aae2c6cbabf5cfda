/** "Me too" without an account: follow an open request by email instead of filing a duplicate. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Button, ErrorSummary, PostForm, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';

export function FollowPage(props: { ctx: PageContext; reference: string; email: string; errors: FieldErrors }) {
  const { ctx, reference, errors } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('requests.follow.title', { reference })} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('requests.follow.title', { reference })}</h1>
      <p class="lead">{t('requests.follow.intro')}</p>
      <PostForm ctx={ctx} action={href(ctx, `/requests/follow/${reference}`)}>
        <TextField ctx={ctx} name="email" type="email" label={t('requests.details.email')} hint={t('requests.follow.emailHint')} value={props.email} error={errors.email} required autocomplete="email" />
        <Button>{t('requests.follow.submit')}</Button>
      </PostForm>
      <p>
        <a href={href(ctx, `/account/sign-in?next=${encodeURIComponent(href(ctx, `/requests/follow/${reference}`))}`)}>{t('requests.follow.signIn')}</a>
      </p>
    </Layout>
  );
}
