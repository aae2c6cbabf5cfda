/** Bookings and waitlist places in the resident's "My file" (the residents' page merges every source). */
import { registerFileSource } from '../residents/my-file.ts';
import { listMyBookings } from './service.ts';
import { STATUS_TONE } from './views/parts.tsx';

registerFileSource({
  id: 'bookings',
  async list({ db, tenant, resident, locale, t }) {
    const mine = await listMyBookings({ db, tenant, resident, ip: null, publicUrl: '' });
    return [
      ...mine.bookings.map((b) => ({
        id: b.id,
        kind: t('bookings.mine.fileKind'),
        title: b.activity.name[locale],
        date: b.createdAt,
        status: { label: t(`bookings.status.${b.status}`), tone: STATUS_TONE[b.status] },
        href: `/bookings/${b.id}`,
      })),
      ...mine.waitlist.map((w) => ({
        id: `waitlist-${w.id}`,
        kind: t('bookings.mine.fileKindWaitlist'),
        title: w.activity.name[locale],
        date: w.joinedAt,
        status: { label: t('bookings.mine.filePosition', { position: w.position }), tone: 'info' as const },
        href: '/bookings',
      })),
    ];
  },
});
