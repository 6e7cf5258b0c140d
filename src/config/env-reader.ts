import { validate as validateCron } from 'node-cron';

/**
 * Reads and checks single environment variables. Every problem becomes a ConfigError whose message is one
 * line that starts with the variable's name and says what is wrong, never echoing a secret value.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  constructor(private readonly env: Env) {}

  /** a trimmed value; empty counts as unset */
  str(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.str(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
    }
    return Number(raw);
  }

  flag(name: string): boolean {
    const raw = this.str(name);
    if (raw === undefined || raw === '0' || raw.toLowerCase() === 'false') return false;
    if (raw === '1' || raw.toLowerCase() === 'true') return true;
    throw new ConfigError(name, `must be 1 or 0 (got "${raw}")`);
  }

  /** an http(s) URL without credentials; plain http only for loopback hosts (local fakes, tests) */
  url(name: string, fallback?: string): string | undefined {
    const raw = this.str(name) ?? fallback;
    if (raw === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new ConfigError(name, `is not a URL (got "${raw}")`);
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
      throw new ConfigError(name, `must be an https:// URL (plain http only for localhost), got "${raw}"`);
    }
    if (u.username || u.password) throw new ConfigError(name, 'must not contain credentials');
    return raw.replace(/\/+$/, '');
  }

  cron(name: string, fallback: string): string {
    const raw = this.str(name) ?? fallback;
    if (!validateCron(raw)) {
      throw new ConfigError(name, `is not a valid cron expression (got "${raw}"; example "*/5 * * * *")`);
    }
    return raw;
  }

  /** a secret: present values must not be blank; never echoed */
  secret(name: string, minLength = 1): string | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return undefined;
    if (raw.trim().length < minLength) {
      throw new ConfigError(name, `is too short (${raw.trim().length} characters, need at least ${minLength})`);
    }
    return raw.trim();
  }

  /** variables that only make sense together: all set, or none */
  group(names: readonly string[]): boolean {
    const set = names.filter((n) => this.str(n) !== undefined);
    if (set.length === 0) return false;
    const missing = names.filter((n) => this.str(n) === undefined);
    if (missing.length > 0) {
      throw new ConfigError(missing[0]!, `must be set too, because ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set`);
    }
    return true;
  }

  /**
   * A comma-separated list of delays like `24h,7d` (units m, h, d, w), in ms, ascending; `off` (or `none`)
   * is an empty list.
   */
  durations(name: string, fallback: string): number[] {
    const raw = (this.str(name) ?? fallback).toLowerCase();
    if (raw === 'off' || raw === 'none') return [];
    const unit: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
    const out = raw.split(',').map((part) => {
      const m = /^\s*(\d{1,5})\s*([mhdw])\s*$/.exec(part);
      const ms = m ? Number(m[1]) * unit[m[2]!]! : 0;
      if (ms <= 0) throw new ConfigError(name, `must be delays like "24h,7d" (units m, h, d, w) or "off" (got "${raw}")`);
      return ms;
    });
    return [...new Set(out)].sort((a, b) => a - b);
  }

  list(name: string): string[] {
    return (this.str(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
}
