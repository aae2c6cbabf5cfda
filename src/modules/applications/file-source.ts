/** Applications in the resident's "My file": drafts to carry on (from any device) and those sent. */
import { formatReference } from '../../platform/reference.ts';
import { registerFileSource } from '../residents/my-file.ts';
import { listMyApplications } from './service.ts';
import { STATUS_TONE } from './views/resident/parts.tsx';

registerFileSource({
  id: 'applications',
  async list({ db, tenant, resident, locale, t }) {
    const mine = await listMyApplications({ db, tenant, resident, ip: null });
    return mine.map((a) => ({
      id: a.id,
      kind: a.status === 'draft' ? t('applications.mine.fileKindDraft') : t('applications.mine.fileKind'),
      title: a.service.name[locale],
      reference: formatReference(a.reference),
      date: a.submittedAt ?? a.updatedAt,
      status: { label: t(`applications.status.${a.status}`), tone: STATUS_TONE[a.status] },
      href: a.status === 'draft' ? `/applications/${a.id}/continue` : `/applications/${a.id}`,
    }));
  },
});
