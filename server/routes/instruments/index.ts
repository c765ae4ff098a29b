// The instruments, read-only: the list, and one instrument with its items in both languages, scales,
// reverse keys, advice, and the published figures its items and practices compare with. Public: the
// same texts are shown to anonymous respondents.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import {
  CURRENT_INSTRUMENT_BY_MODULE,
  CultureScanInstrumentSchema,
  DialogueModelInstrumentSchema,
  FactorsInstrumentSchema,
  LocalizedTextSchema,
  MODULES,
  PublishedFigureSchema,
  SmeChecklistInstrumentSchema,
  getInstrument,
  listInstruments,
  publishedFiguresOf,
  summariseInstrument,
} from '../../../scans/index.js';

const instrumentSummarySchema = z
  .object({
    id: z.string().describe('Versioned id, e.g. culture-scan@1'),
    module: z.enum(MODULES),
    version: z.number().int(),
    name: LocalizedTextSchema,
    description: LocalizedTextSchema,
    itemCount: z.number().int().describe('Items (culture scan), practices (checklist), factors, or time frames (dialogue model)'),
    current: z.boolean().describe('New rounds use this instrument for its module'),
  })
  .meta({ id: 'InstrumentSummary' });

const detailFields = {
  current: z.boolean(),
  publishedFigures: z.array(PublishedFigureSchema).describe('The published figures referred to by publishedFigureIds in this instrument'),
};

const instrumentDetailSchema = z
  .discriminatedUnion('module', [
    CultureScanInstrumentSchema.safeExtend(detailFields),
    SmeChecklistInstrumentSchema.safeExtend(detailFields),
    DialogueModelInstrumentSchema.safeExtend(detailFields),
    FactorsInstrumentSchema.safeExtend(detailFields),
  ])
  .meta({ id: 'Instrument' });

const instrumentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/instruments',
    {
      schema: {
        tags: ['instruments'],
        summary: 'All instruments, including older versions still needed to read stored rounds',
        response: { 200: z.object({ instruments: z.array(instrumentSummarySchema) }) },
      },
    },
    async () => ({ instruments: listInstruments().map(summariseInstrument) }),
  );

  app.get(
    '/api/v1/instruments/:id',
    {
      schema: {
        tags: ['instruments'],
        summary: 'One instrument: items in Dutch and English on both forms, scales, reverse keys, advice and benchmark mappings',
        params: z.object({ id: z.string().min(1).max(64).describe('Instrument id, e.g. culture-scan@1') }),
        response: { 200: instrumentDetailSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const instrument = getInstrument(request.params.id);
      if (!instrument) throw new NotFoundError('Instrument');
      return {
        ...instrument,
        current: CURRENT_INSTRUMENT_BY_MODULE[instrument.module] === instrument.id,
        publishedFigures: publishedFiguresOf(instrument),
      };
    },
  );
};

export default instrumentsRoutes;
