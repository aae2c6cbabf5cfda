/**
 * The resident pages of service requests, under /fr and /en:
 *   /requests                              catalogue with search
 *   /requests/new/:code                    step 1, where (map pin and/or address; GET form)
 *   /requests/new/:code/details            step 2, similar reports nearby, then the report (multipart POST to /requests/new/:code)
 *   /requests/follow/:reference            "me too" by email (GET form, POST); a signed-in resident posts directly
 *   /requests/track/:reference/:token      tracking by private link (+ /not-fixed)
 *   /requests/mine, /requests/mine/:ref    the signed-in resident's requests (+ /not-fixed)
 *   /requests/photos/:id                   a public photo
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireResident } from '../../platform/auth/session.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http.ts';
import { cleanImage, IMAGE_MAX_BYTES, readMultipartForm, type FileError } from '../../platform/uploads.ts';
import type { FieldErrors } from '../../web/components/forms.tsx';
import { href, type PageContext } from '../../web/context.ts';
import { residentPrincipal } from '../residents/service.ts';
import './demo.ts';
import './file-source.ts';
import { codeParams, followBody, photoParams, referenceParams, reopenBody, trackParams } from './schemas.ts';
import * as svc from './service.ts';
import { CataloguePage } from './views/catalogue.tsx';
import { answerField, DetailsPage, PHOTO_FIELDS, type DetailsValues } from './views/details.tsx';
import { FollowPage } from './views/follow.tsx';
import { LocationPage, type LocationValues } from './views/location.tsx';
import { MinePage } from './views/mine.tsx';
import { TrackPage, type TrackNotice } from './views/track.tsx';

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

/** lat/lng as sent: both blank (no pin), both numbers, or junk. */
function parsePoint(lat: string, lng: string): { ok: true; point: svc.Point | null } | { ok: false } {
  if (lat.trim() === '' && lng.trim() === '') return { ok: true, point: null };
  const NUM = /^-?\d{1,3}(\.\d{1,12})?$/;
  if (!NUM.test(lat.trim()) || !NUM.test(lng.trim())) return { ok: false };
  return { ok: true, point: { lat: Number(lat), lng: Number(lng) } };
}

/** A service error code as the page says it, at its field. */
function fieldErrors(ctx: PageContext, type: svc.RequestTypeWithQuestions, errors: Partial<Record<svc.ReportField, svc.ReportError>>): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, code] of Object.entries(errors)) {
    if (field.startsWith('answer.')) {
      const q = type.questions.find((x) => `answer.${x.code}` === field);
      out[answerField(field.slice('answer.'.length))] = ctx.t(`requests.errors.answer.${code}`, { question: q?.label[ctx.locale] ?? '' });
    } else {
      out[field] = ctx.t(`requests.errors.${field}.${code}`, { max: field === 'description' ? svc.DESCRIPTION_MAX : svc.ADDRESS_MAX });
    }
  }
  return out;
}

const photoError = (ctx: PageContext, n: number, code: FileError) => ctx.t(`requests.errors.photo.${code}`, { n, max: Math.round(IMAGE_MAX_BYTES / 1_048_576) });

export async function requestRoutes(app: FastifyInstance): Promise<void> {
  const { config, db } = app.deps;
  const tight = { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60_000 } };

  function callerOf(req: FastifyRequest, ctx: PageContext): svc.RequestsCaller {
    const principal = req.resident ? residentPrincipal(ctx.tenant.id, req.resident) : { kind: 'anonymous' as const, tenantId: ctx.tenant.id };
    return { db, tenant: ctx.tenant, principal, ip: req.ip, publicUrl: config.publicUrl };
  }

  async function activeType(ctx: PageContext, code: string) {
    const type = await svc.getRequestType(db, ctx.tenant.id, code);
    if (!type) throw new AppError('notFound');
    return type;
  }

  app.get('/requests', async (req, reply) => {
    const ctx = pageContext(req, reply);
    const query = str((req.query as Record<string, unknown>).q).slice(0, 200);
    const types = await svc.listRequestTypes(db, ctx.tenant.id, query);
    return sendPage(reply, <CataloguePage ctx={ctx} types={types} query={query} />);
  });

  async function locationPage(req: FastifyRequest, ctx: PageContext, type: svc.RequestTypeWithQuestions, values: LocationValues, errors: FieldErrors) {
    const area = await svc.getTownArea(db, ctx.tenant.id);
    return <LocationPage ctx={ctx} type={type} area={area} map={config.map} values={values} errors={errors} />;
  }

  const locationValues = (q: Record<string, unknown>): LocationValues => ({
    address: str(q.address).slice(0, 400),
    lat: str(q.lat).slice(0, 30),
    lng: str(q.lng).slice(0, 30),
  });

  app.get('/requests/new/:code', { schema: { params: codeParams } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const type = await activeType(ctx, (req.params as { code: string }).code);
    return sendPage(reply, await locationPage(req, ctx, type, locationValues(req.query as Record<string, unknown>), {}));
  });

  /** Checks the place; the location page again (422) when it is missing, malformed or outside the town. */
  async function checkPlace(ctx: PageContext, type: svc.RequestTypeWithQuestions, values: LocationValues) {
    const errors: FieldErrors = {};
    const parsed = parsePoint(values.lat, values.lng);
    const address = values.address.trim();
    if (!parsed.ok) errors.location = ctx.t('requests.errors.location.badLocation');
    else if (!parsed.point && !address) errors.address = ctx.t('requests.errors.location.locationRequired');
    else if (parsed.point && !svc.insideArea(parsed.point, await svc.getTownArea(db, ctx.tenant.id))) errors.location = ctx.t('requests.errors.location.outsideTown');
    if ([...address].length > svc.ADDRESS_MAX) errors.address = ctx.t('requests.errors.address.tooLong', { max: svc.ADDRESS_MAX });
    return { errors, point: parsed.ok ? parsed.point : null };
  }

  async function detailsPage(req: FastifyRequest, ctx: PageContext, type: svc.RequestTypeWithQuestions, values: DetailsValues, errors: FieldErrors, idem: string, photosLost: boolean) {
    const parsed = parsePoint(values.lat, values.lng);
    const nearby = parsed.ok ? await svc.findSimilarOpen(callerOf(req, ctx), type.code, { point: parsed.point, address: values.address }) : [];
    return (
      <DetailsPage
        ctx={ctx}
        type={type}
        values={values}
        errors={errors}
        nearby={nearby}
        idempotencyKey={idem}
        signedInEmail={req.resident?.email ?? null}
        photosLost={photosLost}
      />
    );
  }

  app.get('/requests/new/:code/details', { schema: { params: codeParams } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const type = await activeType(ctx, (req.params as { code: string }).code);
    const place = locationValues(req.query as Record<string, unknown>);
    const { errors } = await checkPlace(ctx, type, place);
    if (Object.keys(errors).length > 0) return sendPage(reply, await locationPage(req, ctx, type, place, errors), 422);
    const values: DetailsValues = { ...place, description: '', email: '', answers: {} };
    return sendPage(reply, await detailsPage(req, ctx, type, values, {}, svc.newIdempotencyKey(), false));
  });

  app.post('/requests/new/:code', { schema: { params: codeParams }, config: tight }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const type = await activeType(ctx, (req.params as { code: string }).code);
    const form = await readMultipartForm(req, { maxFiles: svc.MAX_PHOTOS, maxFileBytes: IMAGE_MAX_BYTES });
    const f = form.fields;
    const sentKey = str(f._idem);
    const idem = svc.IDEMPOTENCY_KEY.test(sentKey) ? sentKey : svc.newIdempotencyKey();
    const answers: Record<string, string | string[]> = {};
    for (const q of type.questions) {
      const raw = f[answerField(q.code)];
      if (raw !== undefined) answers[q.code] = raw;
    }
    const values: DetailsValues = {
      lat: str(f.lat).slice(0, 30),
      lng: str(f.lng).slice(0, 30),
      address: str(f.address).slice(0, 400),
      description: str(f.description),
      email: str(f.email).trim().slice(0, 254),
      answers,
    };
    const errors: FieldErrors = {};
    const parsed = parsePoint(values.lat, values.lng);
    const photos: svc.NewPhoto[] = [];
    for (const file of form.files) {
      const n = PHOTO_FIELDS.indexOf(file.field) + 1;
      if (n === 0) continue;
      const clean = await cleanImage(file);
      if (clean.ok) photos.push(clean.image);
      else errors[file.field] = photoError(ctx, n, clean.error);
    }
    const resident = req.resident;
    if (!resident && type.allowAnonymous && values.email === '') errors.email = ctx.t('requests.errors.email.required');
    const input: svc.ReportInput = {
      typeCode: type.code,
      location: parsed.ok ? parsed.point : { lat: Number.NaN, lng: Number.NaN },
      address: values.address,
      description: values.description,
      answers,
      photos,
      contact: resident ? { kind: 'resident', resident } : { kind: 'email', email: values.email },
      locale: ctx.locale,
      channel: 'web',
      idempotencyKey: idem,
    };
    const caller = callerOf(req, ctx);
    const serviceErrors = await svc.checkReport(caller, input);
    if (errors.email || (!resident && !type.allowAnonymous)) delete serviceErrors.email;
    Object.assign(errors, fieldErrors(ctx, type, serviceErrors));
    if (Object.keys(errors).length === 0) {
      const res = await svc.submitRequest(caller, input);
      if (res.ok) return seeOther(reply, href(ctx, `/requests/track/${res.request.reference}/${res.request.trackingToken}?sent=1`));
      Object.assign(errors, fieldErrors(ctx, type, res.errors));
    }
    return sendPage(reply, await detailsPage(req, ctx, type, values, errors, idem, form.files.length > 0), 422);
  });

  // ---- Following ("me too") ----

  app.get('/requests/follow/:reference', { schema: { params: referenceParams } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { reference } = req.params as { reference: string };
    return sendPage(reply, <FollowPage ctx={ctx} reference={reference} email="" errors={{}} />);
  });

  app.post('/requests/follow/:reference', { schema: { params: referenceParams, body: followBody }, config: tight }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { reference } = req.params as { reference: string };
    const caller = callerOf(req, ctx);
    const email = str((req.body as Record<string, unknown> | undefined)?.email).trim();
    if (!req.resident && email === '') {
      return sendPage(reply, <FollowPage ctx={ctx} reference={reference} email="" errors={{ email: ctx.t('requests.errors.email.required') }} />, 422);
    }
    const res = await svc.followRequest(caller, reference, req.resident ? { kind: 'resident', resident: req.resident } : { kind: 'email', email, locale: ctx.locale });
    if (!res.ok) {
      if (res.error === 'notFound') throw new AppError('notFound');
      if (res.error === 'ownRequest') return seeOther(reply, href(ctx, `/requests/mine/${reference}`));
      const message = ctx.t(`requests.errors.follow.${res.error}`);
      return sendPage(reply, <FollowPage ctx={ctx} reference={reference} email={email} errors={{ email: message }} />, 422);
    }
    if (req.resident) return seeOther(reply, href(ctx, `/requests/mine/${res.reference}?followed=1`));
    return seeOther(reply, href(ctx, `/requests/track/${res.reference}/${res.trackingToken}?followed=1`));
  });

  // ---- Tracking ----

  const noticeOf = (q: Record<string, unknown>): TrackNotice => (q.sent === '1' ? 'sent' : q.followed === '1' ? 'followed' : q.reopened === '1' ? 'reopened' : null);

  app.get('/requests/track/:reference/:token', { schema: { params: trackParams } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { reference, token } = req.params as { reference: string; token: string };
    const request = await svc.trackByLink(callerOf(req, ctx), reference, token);
    const own = href(ctx, `/requests/track/${request.reference}/${token}`);
    return sendPage(
      reply,
      <TrackPage ctx={ctx} request={request} reopenAction={`${own}/not-fixed`} notice={noticeOf(req.query as Record<string, unknown>)} privateLink={own} errors={{}} comment="" />,
    );
  });

  app.post('/requests/track/:reference/:token/not-fixed', { schema: { params: trackParams, body: reopenBody }, config: tight }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { reference, token } = req.params as { reference: string; token: string };
    const comment = str((req.body as Record<string, unknown> | undefined)?.comment);
    const caller = callerOf(req, ctx);
    const res = await svc.reopenByResident(caller, { kind: 'link', reference, token }, comment, ctx.locale);
    const own = href(ctx, `/requests/track/${reference}/${token}`);
    if (res.ok) return seeOther(reply, `${own}?reopened=1`);
    const request = await svc.trackByLink(caller, reference, token);
    const errors = { comment: ctx.t(`requests.errors.reopen.${res.error}`, { max: svc.NOTE_MAX }) };
    return sendPage(reply, <TrackPage ctx={ctx} request={request} reopenAction={`${own}/not-fixed`} notice={null} privateLink={own} errors={errors} comment={comment} />, 422);
  });

  app.get('/requests/mine', async (req, reply) => {
    const resident = requireResident(req);
    const ctx = pageContext(req, reply);
    const requests = await svc.listMyRequests({ ...callerOf(req, ctx), resident });
    return sendPage(reply, <MinePage ctx={ctx} requests={requests} />);
  });

  app.get('/requests/mine/:reference', { schema: { params: referenceParams } }, async (req, reply) => {
    const resident = requireResident(req);
    const ctx = pageContext(req, reply);
    const { reference } = req.params as { reference: string };
    const request = await svc.trackMine({ ...callerOf(req, ctx), resident }, reference);
    const action = href(ctx, `/requests/mine/${request.reference}/not-fixed`);
    return sendPage(reply, <TrackPage ctx={ctx} request={request} reopenAction={action} notice={noticeOf(req.query as Record<string, unknown>)} privateLink={null} errors={{}} comment="" />);
  });

  app.post('/requests/mine/:reference/not-fixed', { schema: { params: referenceParams, body: reopenBody }, config: tight }, async (req, reply) => {
    const resident = requireResident(req);
    const ctx = pageContext(req, reply);
    const { reference } = req.params as { reference: string };
    const comment = str((req.body as Record<string, unknown> | undefined)?.comment);
    const caller = { ...callerOf(req, ctx), resident };
    const res = await svc.reopenByResident(caller, { kind: 'resident', resident, reference }, comment, ctx.locale);
    if (res.ok) return seeOther(reply, href(ctx, `/requests/mine/${reference}?reopened=1`));
    const request = await svc.trackMine(caller, reference);
    const errors = { comment: ctx.t(`requests.errors.reopen.${res.error}`, { max: svc.NOTE_MAX }) };
    const action = href(ctx, `/requests/mine/${request.reference}/not-fixed`);
    return sendPage(reply, <TrackPage ctx={ctx} request={request} reopenAction={action} notice={null} privateLink={null} errors={errors} comment={comment} />, 422);
  });

  app.get('/requests/photos/:id', { schema: { params: photoParams } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const photo = await svc.getPublicPhoto(callerOf(req, ctx), (req.params as { id: string }).id);
    if (!photo) throw new AppError('notFound');
    return reply
      .header('content-type', photo.contentType)
      .header('cache-control', 'private, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline')
      .send(photo.bytes);
  });
}
