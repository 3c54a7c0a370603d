import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses } from '../../platform/schemas.js';
import { Company, PublicCompany, UpdateCompanyBody } from './company.schemas.js';
import type { CompanyService } from './company.service.js';

export const companyRoutes: FastifyPluginAsyncTypebox<{ company: CompanyService }> = async (
  app,
  { company },
) => {
  app.get(
    '/company/public',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['company'],
        summary: 'Name and hotline for the login page',
        response: { 200: PublicCompany },
      },
    },
    async () => {
      const { name, shortName, hotline } = await company.get();
      return { name, shortName, hotline };
    },
  );

  app.get(
    '/company',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['company'],
        summary: 'The company profile',
        response: { 200: Company, ...errorResponses },
      },
    },
    async () => company.get(),
  );

  app.put(
    '/company',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['company'],
        summary: 'Edit the company profile',
        body: UpdateCompanyBody,
        response: { 200: Company, ...errorResponses },
      },
    },
    async (request) => company.update(ctxOf(request), request.body),
  );
};
