// The result model schema: it is the contract for the API, CSV, dashboard and PDF. These checks pin
// the properties others rely on.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  PercentileRankSchema,
  PerspectiveSideSchema,
  ResponseGroupSchema,
  ResultModelSchema,
  SegmentGroupSchema,
} from '../../scans/result-model.js';

describe('result model schema', () => {
  it('a hidden group never carries a count or figure, even if one were passed in', () => {
    const hidden = SegmentGroupSchema.parse({ hidden: true, suppressed: true, key: 'ICT', label: { nl: 'ICT', en: 'ICT' }, n: 3, mechanisms: [] });
    expect(hidden).toEqual({ hidden: true, suppressed: true, key: 'ICT', label: { nl: 'ICT', en: 'ICT' } });
    const response = ResponseGroupSchema.parse({ hidden: true, key: 'ICT', label: { nl: 'ICT', en: 'ICT' }, submitted: 3 });
    expect(response).not.toHaveProperty('submitted');
    expect(PerspectiveSideSchema.parse({ suppressed: true, score: { n: 3 } })).toEqual({ suppressed: true });
    expect(PercentileRankSchema.parse({ shown: false, reason: 'too_few_organisations', minimumGroupSize: 5, rank: 40 })).not.toHaveProperty('rank');
  });

  it('a visible group must have its n, and percentages stay within 0..100', () => {
    expect(() => SegmentGroupSchema.parse({ hidden: false, key: 'Zorg', label: { nl: 'Zorg', en: 'Zorg' }, mechanisms: [] })).toThrow();
    expect(() =>
      SegmentGroupSchema.parse({
        hidden: false,
        key: 'Zorg',
        label: { nl: 'Zorg', en: 'Zorg' },
        n: 7,
        mechanisms: [{ mechanismId: 'leadership', score: null, favourable: 101 }],
      }),
    ).toThrow();
  });

  it('converts to JSON Schema for the OpenAPI document', () => {
    const doc = z.toJSONSchema(ResultModelSchema) as { $ref: string; $defs: Record<string, { type: string; required: string[] }> };
    expect(doc.$ref).toBe('#/$defs/ResultModel');
    const json = doc.$defs.ResultModel!;
    expect(json.type).toBe('object');
    expect(Object.keys(doc.$defs)).toEqual(expect.arrayContaining(['Score', 'Distribution', 'BenchmarkComparison', 'PercentileRank']));
    expect(json.required).toEqual(
      expect.arrayContaining(['meta', 'response', 'mechanisms', 'perspectives', 'segments', 'heatmap', 'checklist', 'dialogue', 'factors', 'priorities', 'trend', 'benchmarkSources', 'anonymity']),
    );
  });
});
