// Both drivers must hand the same JS types to the code above them: counts (int8) and numeric as
// numbers, dates as ISO strings, timestamptz as Date, json as objects.
export const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

export const sharedParsers: Record<number, (value: string) => unknown> = {
  [OID.INT8]: (v) => Number(v),
  [OID.NUMERIC]: (v) => Number(v),
  [OID.DATE]: (v) => v,
};
