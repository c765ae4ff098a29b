// Every route plugin, registered unwrapped so each stays encapsulated. One line per resource.
import type { FastifyInstance } from 'fastify';
import healthRoutes from './health/index.js';
import authRoutes from './auth/index.js';
import organisationsRoutes from './organisations/index.js';
import usersRoutes from './users/index.js';
import consultancyRoutes from './consultancy/index.js';
import apiTokensRoutes from './api-tokens/index.js';
import dataRightsRoutes from './data-rights/index.js';
import roundsRoutes from './rounds/index.js';
import webApp from '../web/index.js';
import invitationsRoutes from './invitations/index.js';
import surveyRoutes from './survey/index.js';
import checklistRoutes from './checklist/index.js';
import placementsRoutes from './placements/index.js';
import resultsRoutes from './results/index.js';
import benchmarkRoutes from './benchmarks/index.js';
import importRoutes from './imports/index.js';
import instrumentsRoutes from './instruments/index.js';
import reportsRoutes from './reports/index.js';
import auditRoutes from './audit/index.js';
import actionRoutes from './actions/index.js';

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(instrumentsRoutes);
  await app.register(authRoutes);
  await app.register(organisationsRoutes);
  await app.register(usersRoutes);
  await app.register(consultancyRoutes);
  await app.register(apiTokensRoutes);
  await app.register(dataRightsRoutes);
  await app.register(roundsRoutes);
  await app.register(webApp);
  await app.register(invitationsRoutes);
  await app.register(surveyRoutes);
  await app.register(checklistRoutes);
  await app.register(placementsRoutes);
  await app.register(resultsRoutes);
  await app.register(benchmarkRoutes);
  await app.register(importRoutes);
  await app.register(reportsRoutes);
  await app.register(auditRoutes);
  await app.register(actionRoutes);
}
