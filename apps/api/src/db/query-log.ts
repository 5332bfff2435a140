import type { KyselyConfig, LogEvent } from 'kysely';
import type { Logger } from 'pino';

/**
 * Kysely's `log` option for `logger`: with LOG_LEVEL=trace every statement the server sends
 * (transaction control included) is logged with its duration; at any other level nothing is
 * attached, so the query path pays nothing.
 */
export function queryLog(logger: Logger): Pick<KyselyConfig, 'log'> {
  if (!logger.isLevelEnabled('trace')) return {};
  return {
    log(event: LogEvent) {
      const fields = {
        sql: event.query.sql,
        ms: Math.round(event.queryDurationMillis * 100) / 100,
      };
      if (event.level === 'error') logger.trace({ ...fields, err: event.error }, 'query failed');
      else logger.trace(fields, 'query');
    },
  };
}
