/** The development mailbox pages: /staff/mail and /staff/mail/:id, staff only. */
import type { FastifyInstance } from 'fastify';
import { pageContext, requireTenant, sendPage } from '../../platform/http.ts';
import { requireStaff } from '../../platform/auth/session.ts';
import { listMail, viewMail } from './mailbox.ts';
import { MailListPage, MailMessagePage } from './views/mail.tsx';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export async function mailRoutes(app: FastifyInstance): Promise<void> {
  const access = { production: app.deps.config.env === 'production' };

  app.get(
    '/staff/mail',
    { schema: { querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000 } } } } },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const staff = requireStaff(req);
      const page = (req.query as { page?: number }).page ?? 1;
      const result = await listMail(app.deps.db, tenant.id, staff, access, page);
      return sendPage(reply, <MailListPage ctx={pageContext(req, reply)} {...result} />);
    },
  );

  app.get(
    '/staff/mail/:id',
    { schema: { params: { type: 'object', properties: { id: { type: 'string', pattern: UUID } }, required: ['id'] } } },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const staff = requireStaff(req);
      const { id } = req.params as { id: string };
      const message = await viewMail(app.deps.db, tenant.id, staff, access, id.toLowerCase(), req.ip);
      return sendPage(reply, <MailMessagePage ctx={pageContext(req, reply)} message={message} />);
    },
  );
}
