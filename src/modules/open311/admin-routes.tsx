/**
 * Administrators' Open311 API keys: /staff/admin/api-keys (list, create), and revoke. A new key is
 * shown once, in the answer to the form that created it (it is not stored, so it cannot survive
 * a redirect); sending the same form again (double click) does not make a second key.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { defineForm } from '../../platform/forms.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http.ts';
import { href } from '../../web/context.ts';
import { adminCaller } from '../admin/caller.ts';
import { createApiKey, KEY_NAME_MAX, listApiKeys, revokeApiKey } from './keys.ts';
import { ApiKeysPage, type KeysDone } from './views/api-keys.tsx';

const keyForm = defineForm({ name: { kind: 'text', required: true, max: KEY_NAME_MAX, label: 'apiKeys.name' } });
const newIdem = () => crypto.randomBytes(18).toString('base64url');
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: UUID_PATTERN } }, required: ['id'], additionalProperties: false } as const;
const csrfOnly = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 200 } }, additionalProperties: false } as const;
const doneQuery = { type: 'object', properties: { done: { type: 'string', maxLength: 20 } } } as const;
const doneOf = (v: unknown): KeysDone | undefined => (v === 'revoked' || v === 'already' ? v : undefined);

export async function apiKeyAdminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/staff/admin/api-keys', { schema: { querystring: doneQuery } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const keys = await listApiKeys(caller);
    const done = doneOf((req.query as { done?: string }).done);
    return sendPage(reply, <ApiKeysPage ctx={pageContext(req, reply)} keys={keys} name="" idempotencyKey={newIdem()} errors={{}} done={done} />);
  });

  app.post('/staff/admin/api-keys', { schema: { body: keyForm.bodySchema } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = keyForm.parse(req.body, ctx.t);
    const idem = (req.body as { _idem?: string })._idem ?? '';
    if (parsed.ok) {
      const result = await createApiKey(caller, parsed.values.name, /^[A-Za-z0-9_-]{16,100}$/.test(idem) ? idem : newIdem());
      if (result.ok && !result.created) return seeOther(reply, href(ctx, '/staff/admin/api-keys?done=already'));
      if (result.ok) {
        const keys = await listApiKeys(caller);
        return sendPage(reply, <ApiKeysPage ctx={ctx} keys={keys} name="" idempotencyKey={newIdem()} errors={{}} created={{ name: result.info.name, key: result.key }} />);
      }
    }
    const keys = await listApiKeys(caller);
    const errors = parsed.ok ? { name: ctx.t('forms.required', { label: ctx.t('apiKeys.name') }) } : parsed.errors;
    return sendPage(reply, <ApiKeysPage ctx={ctx} keys={keys} name={parsed.values.name} idempotencyKey={idem || newIdem()} errors={errors} />, 422);
  });

  app.post('/staff/admin/api-keys/:id/revoke', { schema: { params: idParams, body: csrfOnly } }, async (req, reply) => {
    const caller = await adminCaller(req);
    await revokeApiKey(caller, (req.params as { id: string }).id.toLowerCase());
    return seeOther(reply, href(pageContext(req, reply), '/staff/admin/api-keys?done=revoked'));
  });
}
