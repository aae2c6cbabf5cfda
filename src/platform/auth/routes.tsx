/**
 * The sessions pages: /staff/sessions for staff, /account/sessions for residents. Each lists the
 * person's sessions in this town and ends one of the others, or all of the others.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pageContext, requireTenant, seeOther, sendPage } from '../http.ts';
import { requireResident, requireStaff, sessionToken, SignInRequired, type SessionOwner } from './session.ts';
import { endMyOtherSessions, endMySession, listMySessions } from './sessions.ts';
import { SessionsPage } from './views/sessions.tsx';

const AREAS = ['/staff', '/account'] as const;
type Area = (typeof AREAS)[number];

const noticeQuery = {
  type: 'object',
  properties: { done: { type: 'string', enum: ['ended', 'endedOthers', 'notFound'] } },
} as const;
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;

/** The signed-in person of the area, their session's token, or a redirect to the area's sign-in. */
function whoIsAsking(req: FastifyRequest, area: Area): { owner: SessionOwner; token: string } {
  const owner: SessionOwner = area === '/staff' ? { kind: 'staff', id: requireStaff(req).id } : { kind: 'resident', id: requireResident(req).id };
  const token = sessionToken(req);
  // Signed in means a session cookie was read: this only guards the types.
  if (!token) throw new SignInRequired(`/${req.locale}`);
  return { owner, token };
}

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  for (const area of AREAS) {
    const base = `${area}/sessions`;

    app.get(base, { schema: { querystring: noticeQuery } }, async (req, reply) => {
      const tenant = requireTenant(req);
      const { owner, token } = whoIsAsking(req, area);
      const sessions = await listMySessions(db, tenant.id, owner, token);
      const { done } = req.query as { done?: 'ended' | 'endedOthers' | 'notFound' };
      return sendPage(reply, <SessionsPage ctx={pageContext(req, reply)} sessions={sessions} area={area} notice={done} />);
    });

    app.post(`${base}/:id/end`, { schema: { params: idParams } }, async (req, reply) => {
      const tenant = requireTenant(req);
      const { owner, token } = whoIsAsking(req, area);
      const { id } = req.params as { id: string };
      const ended = await endMySession(db, tenant.id, owner, token, id, req.ip);
      return seeOther(reply, `/${req.locale}${base}?done=${ended ? 'ended' : 'notFound'}`);
    });

    app.post(`${base}/end-others`, async (req, reply) => {
      const tenant = requireTenant(req);
      const { owner, token } = whoIsAsking(req, area);
      await endMyOtherSessions(db, tenant.id, owner, token, req.ip);
      return seeOther(reply, `/${req.locale}${base}?done=endedOthers`);
    });
  }
}
