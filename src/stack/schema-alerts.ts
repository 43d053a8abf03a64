import { z } from 'zod';
import { ALERT_ENV, parseDiskThreshold } from './alert-settings.js';

// The stack file's `alerts` block: where alerts go, never the secrets that send
// them. A token or a webhook secret written here is refused with where it goes
// instead (<root>/.env), and the message never repeats the value.

const secret = (env: string) =>
  z
    .unknown()
    .superRefine((_v, ctx) => {
      ctx.addIssue({ code: 'custom', message: 'is a secret and never goes in the stack file (it is in git, and in what pm2 stores)', params: { secretFix: `remove it; put ${env}=… in <root>/.env (mode 600), and revoke the old value if this file was ever committed` } });
    })
    .optional();

const httpUrl = z.string().refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL');

export const alertsInputSchema = z
  .object({
    telegram: z
      .object({
        chat: z.union([z.string().min(1), z.number().int()]).optional(),
        api: httpUrl.optional(),
        token: secret(ALERT_ENV.token),
      })
      .strict()
      .optional(),
    webhook: z.object({ url: httpUrl.optional(), secret: secret(ALERT_ENV.webhookSecret) }).strict().optional(),
    disk: z
      .object({ minFree: z.string().refine((v) => parseDiskThreshold(v) !== null, 'expected a percentage and/or a size, like "10%", "2G" or "10%,1G", or "off"').optional() })
      .strict()
      .optional(),
  })
  .strict();
