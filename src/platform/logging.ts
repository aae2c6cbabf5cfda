/**
 * Structured logs (pino) without personal data: no query strings (they may hold an email or a
 * name), no IP addresses, no cookies, no bodies.
 */
import type { FastifyServerOptions, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], remove: true },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, path: req.url.split('?')[0], host: req.hostname };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}
