/** The builder's preview: a page of the draft form as a resident would see it, inert, with links to the other pages. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { pageContext, sendPage } from '../../platform/http.ts';
import { Banner } from '../../web/components/display.tsx';
import { href } from '../../web/context.ts';
import type { ServiceForBuilder, StaffCaller } from './builder.ts';
import { FormPage } from './views/resident/form-page.tsx';

const s64 = { type: 'string', maxLength: 64 } as const;
const params = { type: 'object', properties: { id: s64, code: s64 }, required: ['id', 'code'] } as const;

export async function builderPreviewRoutes(app: FastifyInstance, load: (req: FastifyRequest) => Promise<{ c: StaffCaller; b: ServiceForBuilder }>): Promise<void> {
  app.get('/staff/services/:id/preview/:code', { schema: { params } }, async (req, reply) => {
    const { b } = await load(req);
    const ctx = pageContext(req, reply);
    const { t, locale } = ctx;
    const def = b.draft.definition;
    const index = def.pages.findIndex((p) => p.code === (req.params as { code: string }).code);
    if (index < 0) throw new AppError('notFound');
    const page = def.pages[index]!;
    const base = `/staff/services/${b.service.id}`;
    const prev = def.pages[index - 1];
    const next = def.pages[index + 1];
    return sendPage(
      reply,
      <FormPage
        ctx={ctx}
        serviceName={b.service.name[locale]}
        def={def}
        page={page}
        position={index + 1}
        count={def.pages.length}
        values={{}}
        errors={{}}
        files={[]}
        backHref={href(ctx, base)}
        action={null}
        banner={
          <Banner ctx={ctx} kind="important" title={t('applications.builder.previewTitle', { version: b.draft.version })}>
            <p>{t('applications.builder.previewBody')}</p>
          </Banner>
        }
        footer={
          <p class="actions">
            {prev ? <a href={href(ctx, `${base}/preview/${prev.code}`)}>{t('applications.builder.previewPrevious')}</a> : null}
            {next ? <a href={href(ctx, `${base}/preview/${next.code}`)}>{t('applications.builder.previewNext')}</a> : null}
          </p>
        }
      />,
    );
  });
}
