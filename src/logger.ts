import { pino, type Logger } from 'pino';

/**
 * One logger for the whole bot, JSON lines on stderr (stdout is for cards in local mode). Secrets never
 * reach it: anything that looks like a credential is redacted should it ever be logged by mistake.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { app: 'oig-chatops' },
      redact: {
        paths: [
          '*.authorization', '*.Authorization', 'headers.*', '*.token', '*.apiToken', '*.secret', '*.password', '*.keySecret',
          // the Okta OAuth service app: its private key, a signed client assertion, an issued access token
          '*.privateKey', '*.client_assertion', '*.clientAssertion', '*.access_token', '*.accessToken',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
