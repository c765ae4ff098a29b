// Every route plugin, registered unwrapped so each stays encapsulated. One line per resource.
import type { FastifyInstance } from 'fastify';
import healthRoutes from './health/index.js';
import authRoutes from './auth/index.js';

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(authRoutes);
}
