/**
 * Why a first connection to PostgreSQL failed, as the one line a user reads at start-up. The driver's own
 * errors are accurate but cryptic ("SASL: SCRAM-SERVER-FIRST-MESSAGE: …", an AggregateError of two
 * ECONNREFUSED): this names what is wrong (which host:port, which user, which database) and what to do.
 * The password in DATABASE_URL never appears: the target is described from the URL without it, and any
 * driver text quoted is scrubbed of it too.
 */
import { AppError } from '../../errors.ts';

/** What DATABASE_URL points at, for messages: never the password */
export interface DatabaseTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  /** scrubs the password from driver text quoted in a message */
  redact(text: string): string;
}

/**
 * The target as the driver resolved it (`resolved`: pg's ConnectionParameters, which also apply ?host=,
 * PGUSER and the like), or as the URL says when the driver could not even parse it.
 */
export function describeTarget(url: string, resolved?: { host?: string; port?: number; user?: string; database?: string }): DatabaseTarget {
  const u = new URL(url);
  const host = resolved?.host || decodeURIComponent(u.hostname).replace(/^\[|\]$/g, '') || 'localhost';
  const port = resolved?.port || Number(u.port) || 5432;
  const user = resolved?.user || decodeURIComponent(u.username) || '(the default user)';
  const database = resolved?.database || decodeURIComponent(u.pathname.replace(/^\//, ''));
  const secrets = [u.password, safeDecode(u.password)].filter((s) => s.length >= 3);
  return {
    host,
    port,
    user,
    database,
    redact: (text) => secrets.reduce((t, s) => t.split(s).join('***'), text),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface DriverError {
  code?: string;
  message: string;
  hostname?: string;
  path?: string;
  errors?: DriverError[];
  cause?: unknown;
}

/** SQLSTATE classes and Node socket/TLS codes we turn into advice; anything else is quoted as it came */
const TLS_CERT_CODES = /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID)$/;

export function connectionFailure(err: unknown, t: DatabaseTarget, timeoutMs: number): AppError {
  const e = asDriverError(err);
  const at = `PostgreSQL at ${where(t)}`;
  const code = e.code ?? e.errors?.find((x) => x.code)?.code ?? '';
  const said = t.redact(e.message);

  if (code === 'ECONNREFUSED') {
    return new AppError('DATABASE_UNREACHABLE', `cannot reach ${at}: connection refused (is the server running and listening there? check the host and port in DATABASE_URL)`);
  }
  if (code === 'ENOENT' && t.host.startsWith('/') && !e.path) {
    return new AppError('DATABASE_UNREACHABLE', `cannot reach ${at}: no server socket there (is the server running? is the socket folder in DATABASE_URL's host right?)`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new AppError('DATABASE_UNREACHABLE', `cannot reach PostgreSQL: host "${t.host}" not found (check the host in DATABASE_URL)`);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') {
    return new AppError('DATABASE_UNREACHABLE', `cannot reach ${at}: no route to the host (${code}; check the host, the network and any firewall between)`);
  }
  if (/connection timeout|timeout expired/.test(e.message)) {
    return new AppError('DATABASE_TIMEOUT', `${at} did not answer within ${timeoutMs / 1000} s (a firewall dropping packets, a port that is not PostgreSQL's, or an overloaded server)`);
  }
  if (code === '28P01') {
    return new AppError('DATABASE_AUTH', `${at} refused user "${t.user}": password authentication failed (check the user and password in DATABASE_URL)`);
  }
  if (/password must be a/.test(e.message)) {
    return new AppError('DATABASE_AUTH', `${at} asks user "${t.user}" for a password and DATABASE_URL has none (postgres://user:password@host:port/database)`);
  }
  if (code === '28000' && /no pg_hba\.conf entry/.test(e.message) && /no encryption|SSL off/i.test(e.message)) {
    return new AppError('DATABASE_SSL', `${at} accepts user "${t.user}" only over SSL: add ?sslmode=verify-full to DATABASE_URL (with sslrootcert=/path/to/ca.pem for a private CA)`);
  }
  if (code === '28000') {
    return new AppError('DATABASE_AUTH', `${at} refused user "${t.user}" for database "${t.database}": ${said}`);
  }
  if (code === '3D000') {
    return new AppError('DATABASE_MISSING', `database "${t.database}" does not exist on ${at}: create it (CREATE DATABASE "${t.database}" OWNER "${t.user}", or createdb) and start again`);
  }
  if (/does not support SSL/.test(e.message)) {
    return new AppError('DATABASE_SSL', `${at} does not offer SSL but DATABASE_URL asks for it (sslmode or ssl=true): remove that, or set sslmode=disable, only on a network you trust`);
  }
  if (TLS_CERT_CODES.test(code)) {
    return new AppError('DATABASE_SSL', `${at}: its SSL certificate was not accepted (${code}): name the CA that signed it with sslrootcert=/path/to/ca.pem in DATABASE_URL, or use sslmode=no-verify to encrypt without checking it`);
  }
  if ((code === 'ENOENT' || code === 'EACCES') && e.path) {
    return new AppError('DATABASE_SSL', `cannot read ${e.path}, named in DATABASE_URL (sslrootcert, sslcert or sslkey): ${code}`);
  }
  if (code === '53300') {
    return new AppError('DATABASE_BUSY', `${at} has no free connection slots (too many connections): raise its max_connections or lower the bot's pool`);
  }
  if (code === '57P03') {
    return new AppError('DATABASE_BUSY', `${at} is starting up, shutting down or in recovery: ${said}`);
  }
  if (/terminated unexpectedly/.test(e.message)) {
    return new AppError('DATABASE_UNREACHABLE', `the connection to ${at} was closed before the server answered (is that port PostgreSQL's? is the server stopping? does the network let it through?)`);
  }
  return new AppError('DATABASE_CONNECT', `cannot connect to ${at} as "${t.user}" (database "${t.database}"): ${said}${code ? ` (${code})` : ''}`);
}

/** host:port, [v6]:port, or a unix socket folder */
function where(t: DatabaseTarget): string {
  if (t.host.startsWith('/')) return `${t.host} (unix socket, port ${t.port})`;
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

function asDriverError(err: unknown): DriverError {
  if (err instanceof Error) return err as Error & DriverError;
  return { message: String(err) };
}

/**
 * What of a pg error may be logged: its code and message. Never the error object itself: pg's errors and
 * what they reference can carry the connection parameters, the password among them.
 */
export function loggableError(err: unknown): { code?: string; message: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return { ...(typeof code === 'string' ? { code } : {}), message: err instanceof Error ? err.message : String(err) };
}
