/** The administrators' screen of Open311 API keys: the list, revoke, create (the new key shown once). */
import { Banner, Table, Tag } from '../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { formatDateTime } from '../../../platform/i18n.ts';
import { AdminLayout } from '../../admin/views/layout.tsx';
import { KEY_NAME_MAX, type ApiKeyInfo } from '../keys.ts';

export type KeysDone = 'revoked' | 'already';

export function ApiKeysPage(props: {
  ctx: PageContext;
  keys: ApiKeyInfo[];
  name: string;
  idempotencyKey: string;
  errors: FieldErrors;
  /** The key just created: shown this once. */
  created?: { name: string; key: string } | undefined;
  done?: KeysDone | undefined;
}) {
  const { ctx, errors } = props;
  const { t, locale } = ctx;
  const when = (d: Date) => formatDateTime(locale, ctx.tenant.timeZone, d);
  return (
    <AdminLayout ctx={ctx} title={t('apiKeys.title')} section="apiKeys" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {props.created ? (
        <Banner ctx={ctx} kind="success" title={t('apiKeys.created.title', { name: props.created.name })}>
          <p>{t('apiKeys.created.once')}</p>
          <p>
            <code id="new-api-key" class="copyable">
              {props.created.key}
            </code>
          </p>
          <p>{t('apiKeys.created.use')}</p>
        </Banner>
      ) : null}
      {props.done ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`apiKeys.done.${props.done}`)}</p>
        </Banner>
      ) : null}
      <h1>{t('apiKeys.title')}</h1>
      <p>{t('apiKeys.intro')}</p>
      <p>
        {t('apiKeys.endpoint')} <code>/open311/v2/</code> · <code>jurisdiction_id={ctx.tenant.slug}</code>
      </p>
      <Table<ApiKeyInfo>
        caption={t('apiKeys.caption')}
        empty={t('apiKeys.empty')}
        rows={props.keys}
        rowKey={(k) => k.id}
        columns={[
          { header: t('apiKeys.name'), cell: (k) => k.name },
          { header: t('apiKeys.prefix'), cell: (k) => <code>{k.prefix}…</code> },
          {
            header: t('apiKeys.createdAt'),
            cell: (k) => (k.createdBy ? t('apiKeys.createdBy', { when: when(k.createdAt), name: k.createdBy.name }) : t('apiKeys.createdByOperator', { when: when(k.createdAt) })),
          },
          { header: t('apiKeys.lastUsed'), cell: (k) => (k.lastUsedAt ? when(k.lastUsedAt) : t('apiKeys.never')) },
          {
            header: t('apiKeys.status'),
            cell: (k) =>
              k.revokedAt ? (
                <Tag tone="neutral">{t('apiKeys.revokedOn', { when: when(k.revokedAt) })}</Tag>
              ) : (
                <>
                  <Tag tone="success">{t('apiKeys.active')}</Tag>
                  <PostForm ctx={ctx} action={href(ctx, `/staff/admin/api-keys/${k.id}/revoke`)}>
                    <Button variant="warning">{t('apiKeys.revoke', { name: k.name })}</Button>
                  </PostForm>
                </>
              ),
          },
        ]}
      />
      <h2>{t('apiKeys.createTitle')}</h2>
      <PostForm ctx={ctx} action={href(ctx, '/staff/admin/api-keys')}>
        <input type="hidden" name="_idem" value={props.idempotencyKey} />
        <TextField ctx={ctx} name="name" label={t('apiKeys.name')} hint={t('apiKeys.nameHint')} value={props.name} error={errors.name} maxLength={KEY_NAME_MAX} required />
        <Button>{t('apiKeys.create')}</Button>
      </PostForm>
    </AdminLayout>
  );
}
