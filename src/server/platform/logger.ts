import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** pino; human-readable only when a person is watching the terminal. */
export function createLogger(level: LogLevel): Logger {
  if (process.stdout.isTTY) {
    return pino({
      level,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({ level });
}
