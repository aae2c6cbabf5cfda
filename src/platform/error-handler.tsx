/**
 * The one error handler: a localized page for people, a JSON problem for API clients. Logs the
 * error with context; never shows a stack trace or SQL.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, type ErrorCode } from './errors.ts';
import { translator } from './i18n.ts';
import { localeOf, pathWithoutLocale, sendPage } from './http.ts';
import { Layout } from '../web/components/Layout.tsx';
import type { PageContext } from '../web/context.ts';

function codeOf(err: FastifyError | AppError): ErrorCode {
  if (err instanceof AppError) return err.code;
  const code = err.code ?? '';
  if (code.startsWith('FST_CSRF')) return 'csrf';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE') return 'payloadTooLarge';
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupportedMediaType';
  if (err.validation) return 'badRequest';
  const status = err.statusCode ?? 500;
  if (status === 429) return 'tooManyRequests';
  if (status === 404) return 'notFound';
  if (status === 403) return 'forbidden';
  if (status === 413) return 'payloadTooLarge';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'internal';
}

function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return true;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function ErrorPage({ ctx, code, bare }: { ctx: PageContext; code: ErrorCode; bare: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(`errors.${code}.title`)} bare={bare}>
      <h1>{t(`errors.${code}.title`)}</h1>
      <p>{t(`errors.${code}.body`)}</p>
      {bare ? null : (
        <p>
          <a href={`/${ctx.locale}`}>{t('errors.backHome')}</a>
        </p>
      )}
    </Layout>
  );
}

export function renderError(req: FastifyRequest, reply: FastifyReply, code: ErrorCode): FastifyReply {
  const status = ERRORS[code];
  const locale = localeOf(req);
  const t = translator(locale);
  if (wantsJson(req)) {
    return reply
      .status(status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send({ type: `about:blank`, title: t(`errors.${code}.title`), status, code });
  }
  const ctx: PageContext = {
    locale,
    t,
    tenant: req.tenant ?? {
      id: '',
      slug: '',
      name: { fr: 'Guichet', en: 'Guichet' },
      timeZone: 'America/Toronto',
      defaultLocale: locale,
      branding: {},
      contactEmail: null,
    },
    path: pathWithoutLocale(req.url),
    csrfToken: '',
    nonce: (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script ?? '',
    staff: null,
  };
  return sendPage(reply, <ErrorPage ctx={ctx} code={code} bare={!req.tenant} />, status);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const code = codeOf(err);
    if (code === 'internal') req.log.error({ err }, 'request failed');
    else req.log.info({ code, reason: err.message }, 'request refused');
    if (code === 'tooManyRequests') {
      const retryAfter = (err as { retryAfter?: number }).retryAfter ?? 60;
      reply.header('retry-after', String(retryAfter));
    }
    return renderError(req, reply, code);
  });
  app.setNotFoundHandler((req, reply) => renderError(req, reply, 'notFound'));
}
