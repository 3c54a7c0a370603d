import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AttachmentsRepository } from './modules/attachments/attachments.repository.js';
import { attachmentsRoutes } from './modules/attachments/attachments.routes.js';
import { Attachment } from './modules/attachments/attachments.schemas.js';
import { AttachmentsService } from './modules/attachments/attachments.service.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CallbacksRepository } from './modules/callbacks/callbacks.repository.js';
import { callbacksRoutes } from './modules/callbacks/callbacks.routes.js';
import { CallbackScheduler } from './modules/callbacks/callbacks.scheduler.js';
import { CallbacksService } from './modules/callbacks/callbacks.service.js';
import { CallsRepository } from './modules/calls/calls.repository.js';
import { callsRoutes } from './modules/calls/calls.routes.js';
import { CallsService } from './modules/calls/calls.service.js';
import { CategoriesRepository } from './modules/categories/categories.repository.js';
import { categoriesRoutes } from './modules/categories/categories.routes.js';
import {
  CategoryPrice,
  TicketCategory,
  TicketCategoryTree,
} from './modules/categories/categories.schemas.js';
import { CategoriesService } from './modules/categories/categories.service.js';
import { companyRoutes } from './modules/company/company.routes.js';
import { CompanyService } from './modules/company/company.service.js';
import { eventsRoutes } from './modules/events/events.routes.js';
import { ImportsRepository } from './modules/imports/imports.repository.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { ImportJob } from './modules/imports/imports.schemas.js';
import { ImportsService } from './modules/imports/imports.service.js';
import { KnowledgeRepository } from './modules/knowledge/knowledge.repository.js';
import { knowledgeRoutes } from './modules/knowledge/knowledge.routes.js';
import { KbArticle } from './modules/knowledge/knowledge.schemas.js';
import { KnowledgeService } from './modules/knowledge/knowledge.service.js';
import { LanguageRepository } from './modules/language/language.repository.js';
import { languageRoutes } from './modules/language/language.routes.js';
import { LanguageGuard, LanguageService } from './modules/language/language.service.js';
import { notificationChannels } from './modules/notifications/notifications.channels.js';
import { NotificationDispatcher } from './modules/notifications/notifications.dispatcher.js';
import { NotificationsRepository } from './modules/notifications/notifications.repository.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { NotificationsService, ResidentNotifier } from './modules/notifications/notifications.service.js';
import { StaffNotifier } from './modules/notifications/notifications.staff.js';
import { opsRoutes } from './modules/ops/ops.routes.js';
import { QualityRepository } from './modules/quality/quality.repository.js';
import { qualityRoutes } from './modules/quality/quality.routes.js';
import { QualityService } from './modules/quality/quality.service.js';
import { RegistryRepository } from './modules/registry/registry.repository.js';
import { registryRoutes } from './modules/registry/registry.routes.js';
import { Building, Community, PublicArea, Room, Unit } from './modules/registry/registry.schemas.js';
import { RegistryService } from './modules/registry/registry.service.js';
import { ReportsRepository } from './modules/reports/reports.repository.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { ReportsService } from './modules/reports/reports.service.js';
import { ResidentsRepository } from './modules/residents/residents.repository.js';
import { residentsRoutes } from './modules/residents/residents.routes.js';
import { Resident } from './modules/residents/residents.schemas.js';
import { ResidentsService } from './modules/residents/residents.service.js';
import { combineStepHooks, SlaClocks } from './modules/sla/sla.clocks.js';
import { SlaRepository } from './modules/sla/sla.repository.js';
import { slaRoutes } from './modules/sla/sla.routes.js';
import { SlaScheduler } from './modules/sla/sla.scheduler.js';
import { SlaService } from './modules/sla/sla.service.js';
import { StaffRepository } from './modules/staff/staff.repository.js';
import { staffRoutes } from './modules/staff/staff.routes.js';
import { Staff } from './modules/staff/staff.schemas.js';
import { StaffService } from './modules/staff/staff.service.js';
import { SurveysRepository } from './modules/surveys/surveys.repository.js';
import { surveysPublicRoutes, surveysRoutes } from './modules/surveys/surveys.routes.js';
import { SurveysService } from './modules/surveys/surveys.service.js';
import { TeamsRepository } from './modules/teams/teams.repository.js';
import { teamsRoutes } from './modules/teams/teams.routes.js';
import { Team } from './modules/teams/teams.schemas.js';
import { TeamsService } from './modules/teams/teams.service.js';
import { TicketActionsService } from './modules/tickets/tickets.actions.js';
import { TicketEmergencyService } from './modules/tickets/tickets.emergency.js';
import { ticketsEmergencyRoutes } from './modules/tickets/tickets.emergency.routes.js';
import { TicketsRepository } from './modules/tickets/tickets.repository.js';
import { ticketsRoutes } from './modules/tickets/tickets.routes.js';
import { Ticket, TicketDetail } from './modules/tickets/tickets.schemas.js';
import { TicketsService } from './modules/tickets/tickets.service.js';
import { tokensRoutes } from './modules/tokens/tokens.routes.js';
import { RateLimiter, RatingsService } from './modules/visits/visits.ratings.js';
import { VisitsRepository } from './modules/visits/visits.repository.js';
import { ratingsPublicRoutes, visitsRoutes } from './modules/visits/visits.routes.js';
import { ReturnVisitHook, VisitsService } from './modules/visits/visits.service.js';
import { registerAccess } from './platform/access.js';
import { SessionStore } from './platform/auth/sessions.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/database.js';
import { GroupCommit } from './platform/db/group-commit.js';
import { registerErrorHandler } from './platform/error-handler.js';
import { type EventBus, LocalEventBus, PostgresEventBus } from './platform/events.js';
import { Metrics } from './platform/metrics.js';
import { ErrorBody } from './platform/schemas.js';
import { registerSecurityHeaders } from './platform/security-headers.js';
import { LocalDiskStorage } from './platform/storage.js';
import { registerTextGuard } from './platform/text-guard.js';
import { buildSerializer, validatorCompiler } from './platform/validation.js';

export interface AppOptions {
  config: Config;
  database: Database;
  clock?: Clock;
  /** A pino logger; none in tests. */
  logger?: FastifyBaseLogger;
  /**
   * The services to serve (built from `database`, `config` and `clock` when absent): tests pass
   * the ones they drive directly, so that what they do is heard by the app's own event stream.
   */
  services?: Services;
}

/** Wires the services one module at a time; tests build exactly this. */
export function buildServices(database: Database, config: Config, clock: Clock) {
  const { db, dialect } = database;
  const staffRepo = new StaffRepository(db, dialect);
  const registryRepo = new RegistryRepository(db, dialect);
  const residentsRepo = new ResidentsRepository(db, dialect);
  const ticketsRepo = new TicketsRepository(db, dialect);
  const teamsRepo = new TeamsRepository(db, dialect);
  const sessions = new SessionStore(db, clock, config.sessionIdleMinutes);
  // on PostgreSQL every server hears every change (LISTEN/NOTIFY); SQLite is one server
  const events: EventBus = database.url ? new PostgresEventBus(database.url) : new LocalEventBus();
  // R14: each step queues what the resident is told, in its own transaction; the dispatcher delivers
  const notificationsRepo = new NotificationsRepository(db, dialect);
  const notifyVia = notificationChannels(config);
  const notifier = new ResidentNotifier(notificationsRepo, notifyVia.outbound);
  // R26: an escalation tells the people of the level it reached, through the same outbox
  const staffNotifier = new StaffNotifier(notificationsRepo, notifyVia.outbound);
  // §3: the SLA clocks hear every step too, in the step's transaction, beside the notifiers
  const slaRepo = new SlaRepository(db, dialect);
  // §5 R33: finished jobs get their return visit and rating link; after the clocks, whose
  // return_visit clock the visit is due with (and a skipped visit cancels)
  const returnVisitHook = new ReturnVisitHook();
  const stepHook = combineStepHooks(notifier, staffNotifier, new SlaClocks(slaRepo), returnVisitHook);
  const categories = new CategoriesService(db, new CategoriesRepository(db, dialect), teamsRepo, clock);
  // §6: the service-language gate on every text a resident reads, in the sender's transaction
  const languageRepo = new LanguageRepository(db);
  const languageGuard = new LanguageGuard(languageRepo, clock);
  const tickets = new TicketsService(
    db,
    ticketsRepo,
    registryRepo,
    residentsRepo,
    clock,
    events,
    stepHook,
    categories,
    // concurrent intake shares SQLite commits (one fsync for many requests); plain transactions on PostgreSQL
    new GroupCommit(database),
  );
  const services = {
    sessions,
    staffRepo,
    auth: new AuthService(db, staffRepo, sessions, clock, {
      maxFailures: config.loginMaxFailures,
      lockMinutes: config.loginLockMinutes,
    }),
    staff: new StaffService(db, staffRepo, sessions, clock, dialect),
    company: new CompanyService(db, clock),
    registry: new RegistryService(db, registryRepo, clock),
    residents: new ResidentsService(db, residentsRepo, registryRepo, clock),
    events,
    tickets,
    ticketActions: new TicketActionsService(
      db,
      ticketsRepo,
      teamsRepo,
      tickets,
      clock,
      stepHook,
      categories,
      languageGuard,
    ),
    imports: new ImportsService(db, dialect, new ImportsRepository(db, dialect), registryRepo, clock),
    teams: new TeamsService(db, teamsRepo, registryRepo, clock),
    categories,
    notifications: new NotificationsService(db, notificationsRepo, tickets, clock),
    notificationDispatcher: new NotificationDispatcher(notificationsRepo, notifyVia.channels, clock, {
      events,
    }),
  };
  // R16: the emergency playbook writes through the tickets' own services
  const ticketEmergency = new TicketEmergencyService(
    db,
    ticketsRepo,
    services.tickets,
    services.ticketActions,
    clock,
  );
  // photos and files: the bytes under <DATA_DIR>/attachments, a row and a timeline step for each
  const attachments = new AttachmentsService(
    db,
    new AttachmentsRepository(db),
    services.tickets,
    services.ticketActions,
    new LocalDiskStorage(join(config.dataDir, 'attachments')),
    clock,
    config.attachmentMaxMb,
  );
  // §3: warnings and breaches fired on time, a breach escalating one level (R26)
  const slaScheduler = new SlaScheduler(db, slaRepo, services.ticketActions, services.tickets, clock);
  const sla = new SlaService(db, slaRepo, services.tickets, clock);
  // R30: messages and missed calls become callbacks, timed by the SLA policies and fired on time
  const callbacksRepo = new CallbacksRepository(db, dialect);
  const callbacks = new CallbacksService(
    db,
    dialect,
    callbacksRepo,
    slaRepo,
    registryRepo,
    notificationsRepo,
    notifyVia.outbound,
    clock,
  );
  const callbackScheduler = new CallbackScheduler(db, callbacksRepo, callbacks, clock);
  // §4: the PBX's events, the call log and the screen pop (R27–R29)
  const calls = new CallsService(
    db,
    new CallsRepository(db, dialect),
    services.residents,
    services.tickets,
    services.company,
    services.staff,
    events,
    clock,
    {
      answerThresholdSeconds: config.ctiAnswerThresholdSeconds,
      originateUrl: config.ctiOriginateUrl,
      originateSecret: config.ctiOriginateSecret,
    },
    // R30: an unanswered inbound call becomes a callback, in the transaction that ends the call
    callbacks,
  );
  // §5 R33–R35: return visits, ratings (the resident's link) and follow-ups of poor scores
  const visitsRepo = new VisitsRepository(db, dialect);
  const visits = new VisitsService(
    db,
    visitsRepo,
    notificationsRepo,
    notifyVia.outbound,
    services.tickets,
    services.ticketActions,
    clock,
    { publicUrl: config.publicUrl, linkDays: config.ratingLinkDays },
  );
  returnVisitHook.bind(visits);
  const visitServices = {
    visits,
    ratings: new RatingsService(db, visitsRepo, visits, clock),
    ratingLimiter: new RateLimiter(config.ratingRateLimit, clock),
  };
  // §5 R36: satisfaction surveys, sent to the residents as one-time links through the same outbox
  const surveys = new SurveysService(
    db,
    new SurveysRepository(db, dialect),
    notificationsRepo,
    notifyVia.outbound,
    clock,
    { publicUrl: config.publicUrl },
    languageGuard,
  );
  return {
    ...services,
    ticketEmergency,
    attachments,
    slaScheduler,
    sla,
    callbacks,
    callbackScheduler,
    calls,
    ...visitServices,
    surveys,
    // §5: satisfaction and return-visit reports, read-only over the ratings, visits and follow-ups
    reports: new ReportsService(db, new ReportsRepository(db, dialect), clock),
    // §6 R39: quality spot checks (抽查) of requests and calls, scored on the sheet
    quality: new QualityService(db, dialect, new QualityRepository(db, dialect), clock),
    // R32: the knowledge base of standard answers and the standard scripts
    knowledge: new KnowledgeService(db, new KnowledgeRepository(db), services.company, clock),
    // §6: the phrase library (服务用语), the checker and the override report
    language: new LanguageService(db, languageRepo, languageGuard, clock),
  };
}

export type Services = ReturnType<typeof buildServices>;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const clock = options.clock ?? systemClock;
  const services = options.services ?? buildServices(database, config, clock);
  const metrics = new Metrics();

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    // without a proxy in front, X-Forwarded-For is whatever the client says: never trust it then
    trustProxy: config.trustProxy,
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: { buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  for (const schema of [
    ErrorBody,
    Staff,
    Community,
    Building,
    Unit,
    Room,
    PublicArea,
    Resident,
    Ticket,
    TicketDetail,
    ImportJob,
    Team,
    TicketCategory,
    TicketCategoryTree,
    CategoryPrice,
    Attachment,
    KbArticle,
  ]) {
    app.addSchema(schema);
  }

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'EstateDesk API',
        version: '1',
        description:
          '物业客服中心 — the API behind the console. Errors: `{ code, message, details, requestId }`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ed_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerAccess(app, services.sessions);
  const webIndex = join(config.webDir, 'index.html');
  const serveWeb = existsSync(webIndex);
  registerErrorHandler(app, { spaFallback: serveWeb });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // CSP, nosniff, no framing, no referrer … on every page, API answer, error and download
  registerSecurityHeaders(app);
  // a NUL character is refused up front (PostgreSQL cannot store one): 400, never a 500
  registerTextGuard(app);

  await app.register(opsRoutes, { database, metrics });
  await app.register(
    async (api) => {
      await api.register(authRoutes, {
        auth: services.auth,
        staff: services.staffRepo,
        secureCookies: config.publicUrl.startsWith('https:'),
      });
      await api.register(staffRoutes, { staff: services.staff });
      await api.register(tokensRoutes, { db: database.db, clock });
      await api.register(companyRoutes, { company: services.company });
      await api.register(registryRoutes, { registry: services.registry });
      await api.register(residentsRoutes, { residents: services.residents });
      await api.register(ticketsRoutes, { tickets: services.tickets, actions: services.ticketActions });
      await api.register(ticketsEmergencyRoutes, { emergency: services.ticketEmergency });
      await api.register(importsRoutes, { imports: services.imports });
      await api.register(teamsRoutes, { teams: services.teams });
      await api.register(categoriesRoutes, { categories: services.categories });
      await api.register(auditRoutes, { db: database.db });
      await api.register(eventsRoutes, { events: services.events });
      await api.register(notificationsRoutes, { notifications: services.notifications });
      await api.register(attachmentsRoutes, { attachments: services.attachments });
      await api.register(slaRoutes, { sla: services.sla });
      await api.register(callbacksRoutes, { callbacks: services.callbacks });
      await api.register(callsRoutes, { calls: services.calls });
      await api.register(visitsRoutes, { visits: services.visits });
      await api.register(ratingsPublicRoutes, { ratings: services.ratings, limiter: services.ratingLimiter });
      await api.register(surveysRoutes, { surveys: services.surveys });
      // the rating pages' limiter: one budget per address for every public page
      await api.register(surveysPublicRoutes, { surveys: services.surveys, limiter: services.ratingLimiter });
      await api.register(reportsRoutes, { reports: services.reports });
      await api.register(qualityRoutes, { quality: services.quality });
      await api.register(knowledgeRoutes, { knowledge: services.knowledge });
      await api.register(languageRoutes, { language: services.language });
    },
    { prefix: '/api/v1' },
  );

  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: config.webDir,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
    });
  }

  if (services.events instanceof PostgresEventBus) {
    const bus = services.events;
    await bus.start();
    app.addHook('onClose', async () => bus.close());
  }
  // R14: the outbox is delivered while the server listens (tests drive it with runOnce());
  // on close the batch in hand finishes first
  const dispatcher = services.notificationDispatcher;
  app.addHook('onListen', async () => dispatcher.start(app.log));
  app.addHook('onClose', async () => dispatcher.stop());
  // §3: the SLA clocks fire while the server listens (tests drive them with runOnce(now))
  const slaScheduler = services.slaScheduler;
  app.addHook('onListen', async () => slaScheduler.start(app.log));
  app.addHook('onClose', async () => slaScheduler.stop());
  // R30: the callbacks' time promises fire while the server listens (tests: runOnce(now))
  const callbackScheduler = services.callbackScheduler;
  app.addHook('onListen', async () => callbackScheduler.start(app.log));
  app.addHook('onClose', async () => callbackScheduler.stop());
  await services.company.ensure();
  return app;
}
