/**
 * Two-step verification pages: the code step of sign-in (/staff/sign-in/code and /recovery), setting
 * it up (/staff/mfa/setup: signed in, or an administrator sent there by sign-in), and managing it
 * (/staff/mfa, /disable, /recovery-codes). The half-finished sign-in lives in its own short-lived
 * HttpOnly cookie holding a random token; the database keeps only its hash.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { defineForm } from '../../platform/forms.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { clearSessionCookie, requireStaff, sessionToken, setSessionCookie, userAgentOf } from '../../platform/auth/session.ts';
import { href } from '../../web/context.ts';
import { secretBox } from './secret-box.ts';
import { signOut } from './service.ts';
import {
  confirmEnrolment,
  disableMfa,
  enrolmentSecret,
  findPendingSignIn,
  mfaStatus,
  PENDING_ENROL_SECONDS,
  renewRecoveryCodes,
  verifyRecoveryCode,
  verifySignInCode,
  type CodeResult,
} from './mfa/service.ts';
import { formatSecret, normalizeCode, otpauthUri, qrDataUrl } from './mfa/totp.ts';
import { CodePage, RecoveryPage } from './views/mfa-sign-in.tsx';
import { ConfirmPasswordPage, ManagePage, RecoveryCodesPage, SetupPage } from './views/mfa-manage.tsx';

export function pendingCookieName(config: Pick<Config, 'env'>): string {
  return config.env === 'production' ? '__Host-guichet-mfa' : 'guichet-mfa';
}

function pendingCookieOptions(config: Pick<Config, 'env'>) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.env === 'production' };
}

/** Sets the cookie of a half-finished sign-in (the code step, or an administrator's set-up). */
export function setPendingCookie(reply: FastifyReply, token: string): void {
  const config = reply.server.deps.config;
  reply.setCookie(pendingCookieName(config), token, { ...pendingCookieOptions(config), maxAge: PENDING_ENROL_SECONDS });
}

function clearPendingCookie(reply: FastifyReply): void {
  const config = reply.server.deps.config;
  reply.clearCookie(pendingCookieName(config), pendingCookieOptions(config));
}

function pendingToken(req: FastifyRequest): string | undefined {
  return req.cookies[pendingCookieName(req.server.deps.config)];
}

const codeForm = defineForm({ code: { kind: 'text', required: true, max: 20, label: 'mfa.code.label' } });
const recoveryForm = defineForm({ recoveryCode: { kind: 'text', required: true, max: 40, label: 'mfa.recovery.label' } });
const passwordForm = defineForm({ password: { kind: 'password', required: true, max: 1024, label: 'staff.signIn.password' } });

export async function mfaRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;
  const box = secretBox(config.sessionSecret);
  const tight = { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60_000 } };

  /** The sign-in page again, saying the code step ran out of time. */
  const expired = (req: FastifyRequest, reply: FastifyReply) => {
    clearPendingCookie(reply);
    return seeOther(reply, `/${req.locale}/staff/sign-in?expired=1`);
  };

  /** After a code result: the session, or the page again with what went wrong. */
  async function answer(req: FastifyRequest, reply: FastifyReply, result: CodeResult, page: 'code' | 'recovery') {
    const ctx = pageContext(req, reply);
    const Page = page === 'code' ? CodePage : RecoveryPage;
    const field = page === 'code' ? 'code' : 'recoveryCode';
    if (result.ok) {
      clearPendingCookie(reply);
      setSessionCookie(reply, result.sessionToken);
      if (result.recoveryCodesLeft !== undefined) return seeOther(reply, `/${req.locale}/staff/mfa?recoveryUsed=1`);
      return seeOther(reply, result.next ?? `/${req.locale}/staff`);
    }
    if (result.reason === 'expired') return expired(req, reply);
    if (result.reason === 'locked') return sendPage(reply, <Page ctx={ctx} locked />, 429);
    const message =
      result.reason === 'replayed'
        ? ctx.t('mfa.code.replayed')
        : ctx.t(page === 'code' ? 'mfa.code.wrong' : 'mfa.recovery.wrong', { tries: 'triesLeft' in result ? result.triesLeft : 0 });
    return sendPage(reply, <Page ctx={ctx} errors={{ [field]: message }} />, 401);
  }

  for (const page of ['code', 'recovery'] as const) {
    app.get(`/staff/sign-in/${page}`, async (req, reply) => {
      const tenant = requireTenant(req);
      const pending = await findPendingSignIn(db, tenant.id, pendingToken(req));
      if (!pending || pending.purpose !== 'verify') return expired(req, reply);
      const ctx = pageContext(req, reply);
      const Page = page === 'code' ? CodePage : RecoveryPage;
      return sendPage(reply, <Page ctx={ctx} locked={pending.locked} />, pending.locked ? 429 : 200);
    });
  }

  app.post('/staff/sign-in/code', { schema: { body: codeForm.bodySchema }, config: tight }, async (req, reply) => {
    const tenant = requireTenant(req);
    const ctx = pageContext(req, reply);
    const parsed = codeForm.parse(req.body, ctx.t);
    if (!parsed.ok || normalizeCode(parsed.values.code) === null) {
      const errors = parsed.ok ? { code: ctx.t('mfa.code.format') } : parsed.errors;
      return sendPage(reply, <CodePage ctx={ctx} errors={errors} />, 422);
    }
    const result = await verifySignInCode(db, box, tenant.id, { token: pendingToken(req), code: parsed.values.code, ip: req.ip, userAgent: userAgentOf(req) });
    return answer(req, reply, result, 'code');
  });

  app.post('/staff/sign-in/recovery', { schema: { body: recoveryForm.bodySchema }, config: tight }, async (req, reply) => {
    const tenant = requireTenant(req);
    const ctx = pageContext(req, reply);
    const parsed = recoveryForm.parse(req.body, ctx.t);
    if (!parsed.ok) return sendPage(reply, <RecoveryPage ctx={ctx} errors={parsed.errors} />, 422);
    const result = await verifyRecoveryCode(db, tenant.id, { token: pendingToken(req), code: parsed.values.recoveryCode, ip: req.ip, userAgent: userAgentOf(req) });
    return answer(req, reply, result, 'recovery');
  });

  /** Who is setting up: the signed-in person, or an administrator half-way through signing in. */
  async function setupSubject(req: FastifyRequest) {
    const tenant = requireTenant(req);
    if (req.staff) return { staffId: req.staff.id, email: req.staff.email, required: false, pending: undefined };
    const token = pendingToken(req);
    const pending = await findPendingSignIn(db, tenant.id, token);
    if (pending?.purpose === 'enrol') return { staffId: pending.staffId, email: pending.email, required: true, pending: token };
    // Neither: requireStaff sends the visitor to the sign-in page.
    const staff = requireStaff(req);
    return { staffId: staff.id, email: staff.email, required: false, pending: undefined };
  }

  async function setupPage(req: FastifyRequest, reply: FastifyReply, errors?: Record<string, string>, status = 200) {
    const subject = await setupSubject(req);
    const tenant = requireTenant(req);
    const enrolment = await enrolmentSecret(db, box, tenant.id, subject.staffId);
    if (enrolment.enrolled) return seeOther(reply, `/${req.locale}/staff/mfa`);
    const ctx = pageContext(req, reply);
    const issuer = `Guichet – ${tenant.name[req.locale]}`;
    const qr = await qrDataUrl(otpauthUri(enrolment.secret, issuer, subject.email));
    return sendPage(
      reply,
      <SetupPage ctx={ctx} qr={qr} secretKey={formatSecret(enrolment.secret)} account={subject.email} issuer={issuer} required={subject.required} errors={errors} />,
      status,
    );
  }

  app.get('/staff/mfa/setup', async (req, reply) => setupPage(req, reply));

  app.post('/staff/mfa/setup', { schema: { body: codeForm.bodySchema }, config: tight }, async (req, reply) => {
    const tenant = requireTenant(req);
    const subject = await setupSubject(req);
    const ctx = pageContext(req, reply);
    const parsed = codeForm.parse(req.body, ctx.t);
    if (!parsed.ok || normalizeCode(parsed.values.code) === null) {
      return setupPage(req, reply, parsed.ok ? { code: ctx.t('mfa.code.format') } : parsed.errors, 422);
    }
    const result = await confirmEnrolment(db, box, tenant.id, subject.staffId, {
      code: parsed.values.code,
      ip: req.ip,
      pendingToken: subject.pending,
      userAgent: userAgentOf(req),
    });
    if (!result.ok) {
      if (result.reason === 'already') return seeOther(reply, `/${req.locale}/staff/mfa`);
      if (result.reason === 'expired') return seeOther(reply, `/${req.locale}/staff/mfa/setup`);
      return setupPage(req, reply, { code: ctx.t('mfa.setup.wrong') }, 401);
    }
    let continueTo = `/${req.locale}/staff/mfa`;
    if (result.sessionToken) {
      clearPendingCookie(reply);
      setSessionCookie(reply, result.sessionToken);
      continueTo = result.next ?? `/${req.locale}/staff`;
    }
    // Shown once, in the answer to this form: the codes are stored only as hashes.
    return sendPage(reply, <RecoveryCodesPage ctx={ctx} codes={result.recoveryCodes} continueTo={continueTo} enrolled />);
  });

  app.get('/staff/mfa', async (req, reply) => {
    const tenant = requireTenant(req);
    const staff = requireStaff(req);
    const status = await mfaStatus(db, tenant.id, staff.id);
    const query = req.query as Record<string, unknown>;
    const notice = query.off === '1' ? 'off' : query.recoveryUsed === '1' && status.enabled ? 'recoveryUsed' : undefined;
    return sendPage(reply, <ManagePage ctx={pageContext(req, reply)} {...status} isAdmin={staff.role === 'admin'} notice={notice} />);
  });

  for (const purpose of ['disable', 'renew'] as const) {
    const path = purpose === 'disable' ? '/staff/mfa/disable' : '/staff/mfa/recovery-codes';
    app.get(path, async (req, reply) => {
      const tenant = requireTenant(req);
      const staff = requireStaff(req);
      const status = await mfaStatus(db, tenant.id, staff.id);
      if (!status.enabled || !status.hasPassword) return seeOther(reply, `/${req.locale}/staff/mfa`);
      return sendPage(reply, <ConfirmPasswordPage ctx={pageContext(req, reply)} purpose={purpose} isAdmin={staff.role === 'admin'} />);
    });

    app.post(path, { schema: { body: passwordForm.bodySchema }, config: tight }, async (req, reply) => {
      const tenant = requireTenant(req);
      const staff = requireStaff(req);
      const ctx = pageContext(req, reply);
      const isAdmin = staff.role === 'admin';
      const parsed = passwordForm.parse(req.body, ctx.t);
      if (!parsed.ok) return sendPage(reply, <ConfirmPasswordPage ctx={ctx} purpose={purpose} errors={parsed.errors} isAdmin={isAdmin} />, 422);
      if (purpose === 'renew') {
        const renewed = await renewRecoveryCodes(db, tenant.id, staff.id, parsed.values.password, req.ip);
        if (renewed.ok) {
          return sendPage(reply, <RecoveryCodesPage ctx={ctx} codes={renewed.recoveryCodes} continueTo={href(ctx, '/staff/mfa')} enrolled={false} />);
        }
        if (renewed.reason === 'notEnabled') return seeOther(reply, `/${req.locale}/staff/mfa`);
        return sendPage(reply, <ConfirmPasswordPage ctx={ctx} purpose={purpose} errors={{ password: ctx.t('mfa.confirmPassword.wrong') }} isAdmin={isAdmin} />, 401);
      }
      const result = await disableMfa(db, tenant.id, staff.id, parsed.values.password, req.ip);
      if (!result.ok) {
        if (result.reason === 'notEnabled') return seeOther(reply, `/${req.locale}/staff/mfa`);
        return sendPage(reply, <ConfirmPasswordPage ctx={ctx} purpose={purpose} errors={{ password: ctx.t('mfa.confirmPassword.wrong') }} isAdmin={isAdmin} />, 401);
      }
      if (isAdmin) {
        // Administrators must use it: this session ends, and the next sign-in sets it up again.
        const token = sessionToken(req);
        if (token) await signOut(db, tenant.id, token, req.ip);
        clearSessionCookie(reply);
        return seeOther(reply, `/${req.locale}/staff/sign-in?mfaOff=1`);
      }
      return seeOther(reply, `/${req.locale}/staff/mfa?off=1`);
    });
  }
}
