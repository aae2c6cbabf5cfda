/** Service requests in the resident's "My file": the ones they filed and the ones they follow. */
import { registerFileSource } from '../residents/my-file.ts';
import { listMyRequests } from './tracking.ts';
import { STATUS_TONE } from './views/parts.tsx';

registerFileSource({
  id: 'requests',
  async list({ db, tenant, resident, locale, t }) {
    const caller = { db, tenant, resident, principal: { kind: 'resident' as const, tenantId: tenant.id, id: resident.id }, ip: null, publicUrl: '' };
    const mine = await listMyRequests(caller);
    return mine.map((r) => ({
      id: r.id,
      kind: t(r.relation === 'requester' ? 'requests.file.kind' : 'requests.file.kindFollowed'),
      title: r.type.name[locale],
      reference: r.reference,
      date: r.requestedAt,
      status: { label: t(`requests.status.${r.status}`), tone: STATUS_TONE[r.status] },
      href: `/requests/mine/${r.reference}`,
    }));
  },
});
