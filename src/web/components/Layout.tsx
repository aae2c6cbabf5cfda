import type { ComponentChildren } from 'preact';
import { href, type PageContext } from '../context.ts';

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  /** Prepends "Error: " to the title when the page shows a form with errors (GOV.UK pattern). */
  hasErrors?: boolean;
  /** No town behind the page (unknown host): no links that would lead to more "not found" pages. */
  bare?: boolean;
}

export function Layout({ ctx, title, children, hasErrors, bare }: LayoutProps) {
  const { t, locale, tenant } = ctx;
  const other = locale === 'fr' ? 'en' : 'fr';
  const townName = tenant.name[locale];
  const fullTitle = `${hasErrors ? `${t('common.errorPrefix')} ` : ''}${title} – ${townName}`;
  return (
    <html lang={locale === 'fr' ? 'fr-CA' : 'en-CA'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href="/static/guichet.css" />
        <link rel="alternate" hrefLang={other === 'fr' ? 'fr-CA' : 'en-CA'} href={`/${other}${ctx.path === '/' ? '' : ctx.path}`} />
        <script type="module" src="/static/guichet.js" nonce={ctx.nonce}></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('common.skipLink')}
        </a>
        <header class="site-header">
          <div class="container site-header__inner">
            {bare ? (
              <span class="site-header__town">{townName}</span>
            ) : (
              <a class="site-header__town" href={href(ctx, '/')}>
                {townName}
              </a>
            )}
            <nav class="site-header__nav" aria-label={t('common.headerNav')}>
              <ul>
                {ctx.staff ? (
                  <li>
                    <a href={href(ctx, '/staff')}>{t('common.staffArea')}</a>
                  </li>
                ) : null}
                {ctx.resident ? (
                  <li>
                    <a href={href(ctx, '/account')}>{t('account.nav.myFile')}</a>
                  </li>
                ) : ctx.resident === null && !ctx.staff && !bare && !ctx.path.startsWith('/staff') ? (
                  <li>
                    <a href={href(ctx, '/account/sign-in')}>{t('account.nav.signIn')}</a>
                  </li>
                ) : null}
                <li>
                  <a
                    href={`/${other}${ctx.path === '/' ? '' : ctx.path}`}
                    lang={other === 'fr' ? 'fr-CA' : 'en-CA'}
                    hrefLang={other === 'fr' ? 'fr-CA' : 'en-CA'}
                    class="language-toggle"
                  >
                    {t('common.otherLanguage')}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="container" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">
            {bare ? null : (
            <nav aria-label={t('common.footerNav')}>
              <ul class="site-footer__links">
                <li>
                  <a href={href(ctx, '/privacy')}>{t('common.privacy')}</a>
                </li>
                <li>
                  <a href={href(ctx, '/accessibility')}>{t('common.accessibility')}</a>
                </li>
                <li>
                  <a href={href(ctx, '/contact')}>{t('common.contact')}</a>
                </li>
              </ul>
            </nav>
            )}
            <p class="site-footer__meta">{t('common.poweredBy')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
