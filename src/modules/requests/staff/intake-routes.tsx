/**
 * /staff/requests/new: staff enter a request taken by phone, at the counter or by email, for the
 * resident; the channel and the staff member are recorded (submitRequest with a staff caller).
 * A double click sends the same idempotency key and finds the first request.
 */
import type { FastifyInstance } from 'fastify';
import { pageContext, seeOther, sendPage } from '../../../platform/http.ts';
import type { FieldErrors } from '../../../web/components/forms.tsx';
import { href } from '../../../web/context.ts';
import { ADDRESS_MAX, DESCRIPTION_MAX, getRequestType, IDEMPOTENCY_KEY, listRequestTypes, newIdempotencyKey, submitRequest, type ReportError, type ReportField } from '../service.ts';
import { staffRequestsCaller } from './caller.ts';
import { answerName, IntakePage, type IntakeValues } from './views/intake.tsx';

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const NUM = /^-?\d{1,3}(\.\d{1,12})?$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export async function intakeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/staff/requests/new', async (req, reply) => {
    const caller = await staffRequestsCaller(req);
    const code = str((req.query as Record<string, unknown>).type);
    const types = await listRequestTypes(caller.db, caller.tenant.id);
    const type = code ? await getRequestType(caller.db, caller.tenant.id, code) : null;
    return sendPage(reply, <IntakePage ctx={pageContext(req, reply)} types={types} type={type} values={{}} errors={{}} idem={newIdempotencyKey()} />);
  });

  app.post('/staff/requests/new', async (req, reply) => {
    const caller = await staffRequestsCaller(req);
    const ctx = pageContext(req, reply);
    const { t } = ctx;
    const types = await listRequestTypes(caller.db, caller.tenant.id);
    const type = await getRequestType(caller.db, caller.tenant.id, str((req.query as Record<string, unknown>).type));
    if (!type) return seeOther(reply, href(ctx, '/staff/requests/new'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values: IntakeValues = {};
    for (const [k, raw] of Object.entries(body)) values[k] = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 5000)) : str(raw).slice(0, 5000);
    const f = (k: string) => str(values[k]).trim();
    const sent = f('_idem');
    const idem = IDEMPOTENCY_KEY.test(sent) ? sent : newIdempotencyKey();
    const errors: FieldErrors = {};
    const channel = f('channel');
    if (channel !== 'phone' && channel !== 'counter' && channel !== 'email') errors.channel = t('queue.errors.channel');
    const email = f('email');
    if (email && !(email.length <= 254 && EMAIL.test(email))) errors.email = t('requests.errors.email.badEmail');
    if ([...f('contactName')].length > 200) errors.contactName = t('queue.errors.tooLong', { max: 200 });
    if ([...f('phone')].length > 40) errors.phone = t('queue.errors.tooLong', { max: 40 });
    const lat = f('lat');
    const lng = f('lng');
    if ((lat || lng) && !(NUM.test(lat) && NUM.test(lng))) errors.lat = t('queue.errors.latLng');
    const answers: Record<string, string | string[]> = {};
    for (const q of type.questions) {
      const raw = values[answerName(q.code)];
      if (raw !== undefined) answers[q.code] = raw;
    }
    if (Object.keys(errors).length === 0) {
      const result = await submitRequest(caller, {
        typeCode: type.code,
        location: lat && lng ? { lat: Number(lat), lng: Number(lng) } : null,
        address: f('address') || null,
        description: f('description'),
        answers,
        photos: [],
        contact: email ? { kind: 'email', email, name: f('contactName') || null, phone: f('phone') || null } : { kind: 'none', name: f('contactName') || null, phone: f('phone') || null },
        locale: ctx.locale,
        channel: channel as 'phone' | 'counter' | 'email',
        idempotencyKey: idem,
      });
      if (result.ok) return seeOther(reply, href(ctx, `/staff/requests/${result.request.reference}?done=entered`));
      for (const [field, code] of Object.entries(result.errors) as Array<[ReportField, ReportError]>) {
        if (field.startsWith('answer.')) {
          const q = type.questions.find((x) => `answer.${x.code}` === field);
          errors[answerName(field.slice(7))] = t(`requests.errors.answer.${code}`, { question: q?.label[ctx.locale] ?? '' });
        } else {
          errors[field === 'location' && !lat ? 'address' : field === 'location' ? 'lat' : field] = t(`requests.errors.${field}.${code}`, { max: field === 'description' ? DESCRIPTION_MAX : ADDRESS_MAX });
        }
      }
    }
    values._idem = idem;
    return sendPage(reply, <IntakePage ctx={ctx} types={types} type={type} values={values} errors={errors} idem={idem} />, 422);
  });
}
