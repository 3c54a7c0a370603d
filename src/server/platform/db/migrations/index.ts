import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import * as foundation from './20261130000000-foundation.js';
import * as fullRegistry from './20261130010000-full-registry.js';
import * as imports from './20261130020000-imports.js';
import * as ticketLifecycle from './20261130030000-ticket-lifecycle.js';
import * as serviceRequests from './20261201000000-service-requests.js';
import * as sla from './20261201010000-sla.js';
import * as staffAlerts from './20261201020000-staff-alerts.js';
import * as calls from './20261201030000-calls.js';
import * as callbacks from './20261201040000-callbacks.js';
import * as returnVisits from './20261201050000-return-visits.js';
import * as surveys from './20261201060000-surveys.js';
import * as language from './20261201070000-language.js';
import * as knowledge from './20261201080000-knowledge.js';
import * as quality from './20261201090000-quality.js';
import * as openClocksIndex from './20261202000000-open-clocks-index.js';
import * as clockTicketNumber from './20261202010000-clock-ticket-number.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
type Step = (db: Kysely<any>, dialect: DialectName) => Promise<void>;

/** Every migration, in order. Named `<timestamp>-<what-it-does>`; never edit one that has shipped. */
export const migrations: Record<string, { up: Step; down: Step }> = {
  '20261130000000-foundation': foundation,
  '20261130010000-full-registry': fullRegistry,
  '20261130020000-imports': imports,
  '20261130030000-ticket-lifecycle': ticketLifecycle,
  '20261201000000-service-requests': serviceRequests,
  '20261201010000-sla': sla,
  '20261201020000-staff-alerts': staffAlerts,
  '20261201030000-calls': calls,
  '20261201040000-callbacks': callbacks,
  '20261201050000-return-visits': returnVisits,
  '20261201060000-surveys': surveys,
  '20261201070000-language': language,
  '20261201080000-knowledge': knowledge,
  '20261201090000-quality': quality,
  '20261202000000-open-clocks-index': openClocksIndex,
  '20261202010000-clock-ticket-number': clockTicketNumber,
};
