/**
 * The sources of "My file" that exist today. A module that lands later registers its own source
 * (registerFileSource in my-file.ts) from its own code; this file only holds the ones whose module
 * predates the residents' accounts.
 */
import { listContactMessagesFrom } from '../contact/service.ts';
import { registerFileSource } from './my-file.ts';

// Messages written through "Write to the town" from the resident's address (proved by the sign-in code).
registerFileSource({
  id: 'contact',
  async list({ db, tenant, resident, t }) {
    const messages = await listContactMessagesFrom(db, tenant.id, resident.email);
    return messages.map((m) => ({
      id: m.id,
      kind: t('residents.sources.contact.kind'),
      reference: m.reference,
      date: m.createdAt,
      status: { label: t('residents.sources.contact.received'), tone: 'info' as const },
    }));
  },
});
